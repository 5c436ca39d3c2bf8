from django.urls import path

from launches import views

app_name = "launches"

urlpatterns = [
    path("", views.LaunchesIndexView.as_view(), name="index"),
    path("all/", views.LaunchListView.as_view(), name="launch_list"),
    path("new/", views.LaunchCreateView.as_view(), name="launch_create"),
    path("<int:pk>/", views.LaunchDetailView.as_view(), name="launch_detail"),
    path("<int:pk>/edit/", views.LaunchUpdateView.as_view(), name="launch_update"),
    path("<int:pk>/delete/", views.LaunchDeleteView.as_view(), name="launch_delete"),
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
    path("templates/", views.LaunchTemplateListView.as_view(), name="template_list"),
    path("templates/new/", views.LaunchTemplateCreateView.as_view(), name="template_create"),
    path("templates/defaults/", views.LaunchTemplateSeedView.as_view(), name="template_seed"),
    path("templates/<int:pk>/", views.LaunchTemplateDetailView.as_view(), name="template_detail"),
    path(
        "templates/<int:pk>/edit/",
        views.LaunchTemplateUpdateView.as_view(),
        name="template_update",
    ),
    path(
        "templates/<int:pk>/delete/",
        views.LaunchTemplateDeleteView.as_view(),
        name="template_delete",
    ),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/delete/", views.CampaignDeleteView.as_view(), name="campaign_delete"),
    path("releases/", views.ReleaseListView.as_view(), name="release_list"),
    path("releases/new/", views.ReleaseCreateView.as_view(), name="release_create"),
    path("releases/<int:pk>/", views.ReleaseDetailView.as_view(), name="release_detail"),
    path("releases/<int:pk>/edit/", views.ReleaseUpdateView.as_view(), name="release_update"),
    path("releases/<int:pk>/delete/", views.ReleaseDeleteView.as_view(), name="release_delete"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("settings/", views.GtmSettingsView.as_view(), name="settings"),
]
