"""Browser pages. Everything of a workspace lives under /w/<workspace_slug>/."""

from django.urls import include
from django.urls import path

from alignment import views
from alignment.messaging import views as messaging_views
from alignment.portability import views as portability_views
from alignment.routing import object_pages

workspace_pages = [
    path("", include("metrics.home_urls")),  # the home page reads every app: metrics owns it
    path("search/", views.SearchView.as_view(), name="workspace_search"),
    path("", include("alignment.collaboration.urls")),
    path("export.zip", portability_views.workspace_export_download, name="workspace_export"),
    path("settings/", views.WorkspaceSettingsView.as_view(), name="workspace_settings"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<str:username>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    *object_pages(views, "products", "product", "Product"),
    *object_pages(views, "features", "feature", "Feature"),
    path("messaging/", messaging_views.MessagingHomeView.as_view(), name="messaging_index"),
    path("messaging/", include("alignment.messaging.urls")),
    path("research/", include("research.urls")),
    path("launches/", include("launches.urls")),
    path("metrics/", include("metrics.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("workspaces/", views.workspace_list, name="workspace_list"),
    path("workspaces/new/", views.workspace_create, name="workspace_create"),
    path("invitations/<slug:token>/", views.invitation_detail, name="invitation_detail"),
    path("w/<slug:workspace_slug>/", include(workspace_pages)),
]
