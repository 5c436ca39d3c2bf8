"""Download a workspace's complete export (admins only): GET .../export/ -> a zip."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.views import APIView

from alignment.models import Role
from alignment.portability import export_bytes
from alignment.tenancy import get_membership_or_404


def export_response(membership) -> HttpResponse:
    if membership.role != Role.ADMIN:
        raise PermissionDenied("Only workspace admins can export the workspace.")
    workspace = membership.workspace
    response = HttpResponse(export_bytes(workspace=workspace), content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tandem-{workspace.slug}-{stamp}.zip"'
    return response


class WorkspaceExportView(APIView):
    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, workspace_slug):
        return export_response(get_membership_or_404(request.user, workspace_slug))
