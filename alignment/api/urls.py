"""The core app's API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from alignment.api import viewsets
from alignment.api.portability import WorkspaceExportView

app_name = "alignment-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("members", viewsets.MemberViewSet, basename="member")
router.register("products", viewsets.ProductViewSet, basename="product")
router.register("features", viewsets.FeatureViewSet, basename="feature")

urlpatterns = [*router.urls, path("export/", WorkspaceExportView.as_view(), name="export")]
