"""The workspace home, at the root of a workspace's pages (/w/<slug>/): included there by
alignment/web_urls.py, under the name every page links to ("workspace_home")."""

from django.urls import path

from metrics.views.home import HomeView

urlpatterns = [path("", HomeView.as_view(), name="workspace_home")]
