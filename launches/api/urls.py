"""The launches API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from rest_framework.routers import DefaultRouter

app_name = "launches-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

urlpatterns = router.urls
