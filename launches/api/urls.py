"""The launches API routes. `router` is mounted under /api/v1/workspaces/<workspace_slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from launches.api import viewsets

app_name = "launches-api"

router = SimpleRouter(trailing_slash=True)
router.register("launches", viewsets.LaunchViewSet, basename="launch")
router.register(
    r"launches/(?P<launch_pk>\d+)/tasks", viewsets.LaunchTaskViewSet, basename="launch-task"
)
router.register(
    r"launches/(?P<launch_pk>\d+)/milestones",
    viewsets.MilestoneViewSet,
    basename="launch-milestone",
)
router.register("launch-templates", viewsets.LaunchTemplateViewSet, basename="launch-template")
router.register("campaigns", viewsets.CampaignViewSet, basename="campaign")
router.register("releases", viewsets.ReleaseViewSet, basename="release")

# Not resources (no objects to create or delete): plain read-only views.
urlpatterns = [
    path("calendar/", viewsets.CalendarEventsView.as_view(), name="calendar"),
    path("calendar/conflicts/", viewsets.ConflictListView.as_view(), name="calendar-conflicts"),
    path("calendar.ics", viewsets.CalendarIcsView.as_view(), name="calendar-ics"),
    *router.urls,
]
