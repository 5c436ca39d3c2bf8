from django.urls import path

from alignment.routing import object_pages
from launches import views

app_name = "launches"

urlpatterns = [
    path("", views.LaunchesIndexView.as_view(), name="index"),
    path("all/", views.LaunchListView.as_view(), name="launch_list"),
    *object_pages(views, "", "launch", "Launch", actions=("create", "detail", "update", "delete")),
    path("<int:pk>/status/", views.LaunchStatusView.as_view(), name="launch_status"),
    path("<int:launch_pk>/tasks/new/", views.LaunchTaskCreateView.as_view(), name="task_create"),
    path(
        "<int:launch_pk>/tasks/<int:pk>/edit/",
        views.LaunchTaskUpdateView.as_view(),
        name="task_update",
    ),
    path(
        "<int:launch_pk>/tasks/<int:pk>/delete/",
        views.LaunchTaskDeleteView.as_view(),
        name="task_delete",
    ),
    path(
        "<int:launch_pk>/tasks/<int:pk>/status/",
        views.LaunchTaskStatusView.as_view(),
        name="task_status",
    ),
    path(
        "<int:launch_pk>/milestones/new/",
        views.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path(
        "<int:launch_pk>/milestones/<int:pk>/edit/",
        views.MilestoneUpdateView.as_view(),
        name="milestone_update",
    ),
    path(
        "<int:launch_pk>/milestones/<int:pk>/delete/",
        views.MilestoneDeleteView.as_view(),
        name="milestone_delete",
    ),
    path(
        "<int:launch_pk>/milestones/<int:pk>/toggle/",
        views.MilestoneToggleView.as_view(),
        name="milestone_toggle",
    ),
    path("templates/defaults/", views.LaunchTemplateSeedView.as_view(), name="template_seed"),
    *object_pages(views, "templates", "template", "LaunchTemplate"),
    *object_pages(views, "campaigns", "campaign", "Campaign"),
    *object_pages(views, "releases", "release", "Release"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("settings/", views.GtmSettingsView.as_view(), name="settings"),
]
