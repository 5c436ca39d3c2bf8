"""The browser download of a workspace export: /w/<slug>/export.zip (admins only)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from alignment.api.portability import export_response
from alignment.models import Role
from alignment.tenancy import get_membership_or_404


@login_required
@require_GET
def workspace_export_download(request, workspace_slug):
    membership = get_membership_or_404(request.user, workspace_slug)
    if membership.role != Role.ADMIN:
        raise PermissionDenied("Only workspace admins can export the workspace.")
    return export_response(membership)
