from django.contrib import admin
from django.urls import include
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from alignment import views
from alignment.api.viewsets import InvitationViewSet
from alignment.api.viewsets import TokenObtainView
from alignment.api.viewsets import WorkspaceApiViewSet
from alignment.collaboration.api.webhooks import InboundReceiveView

# Each app's API router, mounted under /api/v1/workspaces/<workspace_slug>/.
# tests/test_tenancy.py walks this list, so a new app's router is covered by adding it here.
# They are SimpleRouters: DefaultRouter's format-suffix twins (products.json) doubled the
# patterns every API request is matched against, for a form no integration uses (the API
# is JSON; `?format=` still picks a renderer).
WORKSPACE_API_URLCONFS = [
    "alignment.api.urls",
    "alignment.collaboration.api.urls",
    "research.api.urls",
    "launches.api.urls",
    "metrics.api.urls",
]

workspace_router = SimpleRouter()
workspace_router.register("workspaces", WorkspaceApiViewSet, basename="workspace")
# The caller's own invitations: not under a workspace, since the invitee is not a member yet.
workspace_router.register("invitations", InvitationViewSet, basename="invitation")

api_v1 = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    # Signed posts from GitHub, Jira and Linear: no session or token (see API.md).
    path(
        "hooks/<slug:workspace_slug>/<str:source>/",
        InboundReceiveView.as_view(),
        name="inbound-hook",
    ),
    *workspace_router.urls,
    *[
        path("workspaces/<slug:workspace_slug>/", include(urlconf))
        for urlconf in WORKSPACE_API_URLCONFS
    ],
]

# An upload over its limit answers 413 (alignment.uploads); other bad requests the 400 page.
handler400 = "alignment.views.bad_request"

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links: send them to the static icon.
    path(
        "favicon.ico",
        views.favicon,
        name="favicon",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("accounts/", include("alignment.account_urls")),
    path("", include("alignment.web_urls")),
]
