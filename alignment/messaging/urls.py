"""Messaging pages, included under /w/<workspace_slug>/messaging/ (namespace "messaging").
The messaging home itself is `messaging_index` in alignment/web_urls.py (the nav links it)."""

from django.urls import path

from alignment.messaging import views as views
from alignment.routing import WITHOUT_DELETE
from alignment.routing import object_pages

app_name = "messaging"

urlpatterns = [
    *object_pages(views, "positioning", "positioning", "Positioning", actions=WITHOUT_DELETE),
    *object_pages(views, "claims", "claim", "Claim"),
    path("claims/<int:pk>/<str:step>/", views.ClaimStepView.as_view(), name="claim_step"),
    *object_pages(views, "documents", "document", "Document"),
    path("documents/<int:pk>/print/", views.DocumentPrintView.as_view(), name="document_print"),
    path(
        "documents/<int:pk>/export.md",
        views.DocumentMarkdownView.as_view(),
        name="document_markdown",
    ),
    path("documents/<int:pk>/<str:step>/", views.DocumentStepView.as_view(), name="document_step"),
    *object_pages(views, "objectives", "objective", "Objective"),
    path(
        "objectives/<int:pk>/targets/<int:target_pk>/remove/",
        views.ObjectiveTargetRemoveView.as_view(),
        name="objective_target_remove",
    ),
    *object_pages(views, "feedback", "feedback", "Feedback", actions=WITHOUT_DELETE),
    path("feedback/<int:pk>/status/", views.FeedbackStatusView.as_view(), name="feedback_status"),
    *object_pages(views, "meetings", "meeting", "Meeting", actions=WITHOUT_DELETE),
    path(
        "action-items/<int:pk>/done/", views.ActionItemDoneView.as_view(), name="action_item_done"
    ),
    path("activity/", views.ActivityListView.as_view(), name="activity"),
]
