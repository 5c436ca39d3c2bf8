"""What every app's pages get from the core by convention: routes from object_pages, the
default success messages of create and update pages, and the list a delete returns to."""

import pytest
from django.contrib.messages import get_messages
from django.urls import NoReverseMatch
from django.urls import resolve
from django.urls import reverse

from research.models import Persona
from tests.research.factories import PersonaFactory

pytestmark = pytest.mark.django_db


def page(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace_slug": workspace.slug, **kwargs})


def test_object_pages_route_each_action_to_its_view(workspace):
    routes = {
        "research:persona_list": ("/research/personas/", "PersonaListView", {}),
        "research:persona_create": ("/research/personas/new/", "PersonaCreateView", {}),
        "research:persona_detail": ("/research/personas/7/", "PersonaDetailView", {"pk": 7}),
        "research:persona_update": ("/research/personas/7/edit/", "PersonaUpdateView", {"pk": 7}),
        "research:persona_delete": ("/research/personas/7/delete/", "PersonaDeleteView", {"pk": 7}),
        # An empty prefix puts the pages at the root of the app's pages.
        "launches:launch_detail": ("/launches/7/", "LaunchDetailView", {"pk": 7}),
    }
    for name, (path, view, kwargs) in routes.items():
        url = page(name, workspace, **kwargs)
        assert url == f"/w/{workspace.slug}{path}"
        assert resolve(url).func.view_class.__name__ == view


def test_object_pages_route_only_the_actions_asked_for(workspace):
    page("messaging:positioning_update", workspace, pk=1)
    with pytest.raises(NoReverseMatch):
        page("messaging:positioning_delete", workspace, pk=1)


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_create_and_update_pages_say_what_they_did_by_default(web, workspace):
    response = web.post(page("research:persona_create", workspace), {"name": "Ops lead"})
    persona = Persona.objects.get(workspace=workspace, name="Ops lead")
    assert response.status_code == 302 and said(response) == ["Persona created."]
    response = web.post(
        page("research:persona_update", workspace, pk=persona.pk), {"name": "Ops leader"}
    )
    # The first message was never shown (no page was read in between): both are queued.
    assert response.status_code == 302 and said(response) == ["Persona created.", "Persona saved."]


def test_a_page_with_its_own_message_keeps_it(web, workspace):
    response = web.post(
        page("research:insight_create", workspace),
        {"title": "Exports time out", "sentiment": "negative"},
    )
    assert response.status_code == 302 and said(response) == ["Insight added."]


def test_a_delete_returns_to_its_list(web, workspace):
    persona = PersonaFactory(workspace=workspace, name="Gone")
    response = web.post(page("research:persona_delete", workspace, pk=persona.pk))
    assert response.status_code == 302
    assert response["Location"] == page("research:persona_list", workspace)
    assert said(response) == ["Deleted Gone."]
