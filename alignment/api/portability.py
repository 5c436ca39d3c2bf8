"""Download a workspace's complete export (admins only): GET .../export/ -> a zip."""

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.views import APIView

from alignment.models import Role
from alignment.portability import export_file
from alignment.tenancy import get_membership_or_404


def export_response(membership) -> FileResponse:
    """The archive is written to a temporary file first, then streamed from it; the file is
    deleted when the response closes."""
    if membership.role != Role.ADMIN:
        raise PermissionDenied("Only workspace admins can export the workspace.")
    workspace = membership.workspace
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return FileResponse(
        export_file(workspace=workspace),
        as_attachment=True,
        filename=f"tandem-{workspace.slug}-{stamp}.zip",
        content_type="application/zip",
    )


class WorkspaceExportView(APIView):
    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, workspace_slug):
        return export_response(get_membership_or_404(request.user, workspace_slug))
