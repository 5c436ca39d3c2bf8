"""Messaging pages, included under /w/<workspace_slug>/messaging/ (namespace "messaging").
The messaging home itself is `messaging_index` in alignment/web_urls.py (the nav links it)."""

from django.urls import path

from alignment.messaging import views as views

app_name = "messaging"

urlpatterns = [
    path("positioning/", views.PositioningListView.as_view(), name="positioning_list"),
    path("positioning/new/", views.PositioningCreateView.as_view(), name="positioning_create"),
    path("positioning/<int:pk>/", views.PositioningDetailView.as_view(), name="positioning_detail"),
    path(
        "positioning/<int:pk>/edit/",
        views.PositioningUpdateView.as_view(),
        name="positioning_update",
    ),
    path("claims/", views.ClaimListView.as_view(), name="claim_list"),
    path("claims/new/", views.ClaimCreateView.as_view(), name="claim_create"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims/<int:pk>/edit/", views.ClaimUpdateView.as_view(), name="claim_update"),
    path("claims/<int:pk>/delete/", views.ClaimDeleteView.as_view(), name="claim_delete"),
    path("claims/<int:pk>/<str:step>/", views.ClaimStepView.as_view(), name="claim_step"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/new/", views.DocumentCreateView.as_view(), name="document_create"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="document_update"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("documents/<int:pk>/print/", views.DocumentPrintView.as_view(), name="document_print"),
    path(
        "documents/<int:pk>/export.md",
        views.DocumentMarkdownView.as_view(),
        name="document_markdown",
    ),
    path("documents/<int:pk>/<str:step>/", views.DocumentStepView.as_view(), name="document_step"),
    path("objectives/", views.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/new/", views.ObjectiveCreateView.as_view(), name="objective_create"),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.ObjectiveUpdateView.as_view(), name="objective_update"),
    path(
        "objectives/<int:pk>/delete/",
        views.ObjectiveDeleteView.as_view(),
        name="objective_delete",
    ),
    path(
        "objectives/<int:pk>/targets/<int:target_pk>/remove/",
        views.ObjectiveTargetRemoveView.as_view(),
        name="objective_target_remove",
    ),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/new/", views.FeedbackCreateView.as_view(), name="feedback_create"),
    path("feedback/<int:pk>/", views.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("feedback/<int:pk>/edit/", views.FeedbackUpdateView.as_view(), name="feedback_update"),
    path("feedback/<int:pk>/status/", views.FeedbackStatusView.as_view(), name="feedback_status"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path(
        "action-items/<int:pk>/done/", views.ActionItemDoneView.as_view(), name="action_item_done"
    ),
    path("activity/", views.ActivityListView.as_view(), name="activity"),
]
