"""A hypothesis is free text and is never refused: a persona is linked when the sentence
names one (any case, singular or plural, with an article), otherwise the text is kept as
written and the closest persona suggested."""

import pytest
from django.urls import reverse

from research import services
from research.services.opportunities import persona_key
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory

pytestmark = pytest.mark.django_db

SHAPE = (
    "We believe {who} {verb} trouble sending invoices because {reason}; "
    "we will know we are right when {signal}."
)


def _sentence(who, verb="have", reason="they juggle tools", signal="invoices go out same day"):
    return SHAPE.format(who=who, verb=verb, reason=reason, signal=signal)


def _create(workspace, user, hypothesis, **data):
    return services.opportunity_create(
        actor=user,
        workspace=workspace,
        title=data.pop("title", "Invoices"),
        hypothesis=hypothesis,
        **data,
    )


@pytest.mark.parametrize(
    "who",
    [
        "freelance designers",
        "Freelance Designers",
        "a freelance designer",
        "the freelance designers",
        "our freelance designers",
        "FREELANCE DESIGNER",
    ],
)
def test_the_persona_is_linked_in_any_case_or_number(workspace, user, who):
    persona = PersonaFactory(workspace=workspace, name="Freelance designer")
    opportunity = _create(workspace, user, _sentence(who))
    assert opportunity.persona == persona
    assert (opportunity.problem, opportunity.reason, opportunity.signal) == (
        "trouble sending invoices",
        "they juggle tools",
        "invoices go out same day",
    )
    assert opportunity.hypothesis_text == ""
    assert opportunity.hypothesis.startswith("We believe Freelance designer has trouble")
    assert services.hypothesis_suggested_persona(opportunity=opportunity) is None


def test_plural_persona_names_and_words_ending_in_ies(workspace, user):
    agencies = PersonaFactory(workspace=workspace, name="Small agencies")
    assert _create(workspace, user, _sentence("a small agency", verb="has")).persona == agencies
    assert persona_key("The Boxes of Coaches") == "box of coach"


def test_an_unknown_persona_keeps_the_text_and_suggests_the_closest(workspace, user):
    persona = PersonaFactory(workspace=workspace, name="Freelance designer")
    PersonaFactory(workspace=workspace, name="Agency owner")
    text = _sentence("freelance desingers")  # a typo
    opportunity = _create(workspace, user, text)
    assert opportunity.persona is None
    assert opportunity.hypothesis == text  # as written
    assert opportunity.problem == "trouble sending invoices"  # the parts are still filled
    assert services.hypothesis_suggested_persona(opportunity=opportunity) == persona
    # Nothing close: no suggestion.
    far = _create(workspace, user, _sentence("procurement officers"), title="Other")
    assert far.persona is None and services.hypothesis_suggested_persona(opportunity=far) is None


def test_our_customers_names_no_persona(workspace, user):
    opportunity = _create(workspace, user, _sentence("our customers"))
    assert opportunity.persona is None and opportunity.hypothesis_text == ""
    assert opportunity.hypothesis.startswith("We believe our customers has trouble")


def test_free_text_is_kept_and_the_parts_left_as_given(workspace, user):
    persona = PersonaFactory(workspace=workspace, name="Freelance designer")
    text = "Freelance designers lose a day a month chasing late invoices."
    opportunity = _create(workspace, user, text, problem="late invoices")
    assert opportunity.hypothesis == text and opportunity.hypothesis_text == text
    assert opportunity.problem == "late invoices" and opportunity.persona is None
    # The persona named in free text is suggested, not linked.
    assert services.hypothesis_suggested_persona(opportunity=opportunity) == persona
    # Linking it keeps the text as written.
    services.opportunity_update(actor=user, opportunity=opportunity, persona=persona)
    opportunity.refresh_from_db()
    assert opportunity.persona == persona and opportunity.hypothesis == text


def test_editing_the_parts_replaces_a_kept_sentence(workspace, user):
    opportunity = _create(workspace, user, "Just a hunch.")
    same = {"problem": opportunity.problem, "title": "Renamed"}
    services.opportunity_update(actor=user, opportunity=opportunity, **same)
    assert opportunity.hypothesis == "Just a hunch."
    services.opportunity_update(actor=user, opportunity=opportunity, problem="slow invoices")
    assert opportunity.hypothesis_text == ""
    assert "has slow invoices because" in opportunity.hypothesis
    services.opportunity_update(actor=user, opportunity=opportunity, hypothesis="New words.")
    assert opportunity.hypothesis == "New words."
    services.opportunity_update(actor=user, opportunity=opportunity, hypothesis="")
    assert opportunity.hypothesis_text == ""


def test_the_api_reads_back_as_written_with_the_suggestion(api, workspace, other_workspace):
    persona = PersonaFactory(workspace=workspace, name="Freelance designer")
    PersonaFactory(workspace=other_workspace, name="Freelance designers")
    url = reverse("research-api:opportunity-list", kwargs={"workspace_slug": workspace.slug})
    text = _sentence("freelance desingers")
    response = api.post(url, {"title": "T", "hypothesis": text}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["hypothesis"], body["persona"]) == (text, None)
    assert body["suggested_persona"] == {"id": persona.pk, "name": "Freelance designer"}
    linked = api.post(url, {"title": "U", "hypothesis": _sentence("Freelance Designers")}).json()
    assert (linked["persona"], linked["suggested_persona"]) == (persona.pk, None)
    listed = api.get(url).json()["results"]
    assert {row["title"]: row["suggested_persona"] for row in listed} == {
        "T": {"id": persona.pk, "name": "Freelance designer"},
        "U": None,
    }


def test_the_opportunity_page_offers_the_suggested_persona(web, workspace, user):
    persona = PersonaFactory(workspace=workspace, name="Freelance designer")
    opportunity = _create(workspace, user, _sentence("freelance desingers"))
    content = web.get(opportunity.get_absolute_url()).content.decode()
    assert "Did you mean persona" in content and "Link Freelance designer" in content
    url = reverse(
        "research:opportunity_persona",
        kwargs={"workspace_slug": workspace.slug, "pk": opportunity.pk},
    )
    assert web.post(url, {"persona": 0}).status_code == 400
    assert web.post(url, {"persona": persona.pk}).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.persona == persona
    # The sentence had the shape: its parts now rebuild it around the linked persona.
    assert opportunity.hypothesis.startswith("We believe Freelance designer has trouble")
    assert "Did you mean" not in web.get(opportunity.get_absolute_url()).content.decode()


def test_a_long_who_is_not_a_persona(workspace, user):
    PersonaFactory(workspace=workspace, name="Designer")
    opportunity = OpportunityFactory(workspace=workspace)
    text = _sentence("designer " + "x" * 4000)
    assert len(text) < 5000
    opportunity = services.opportunity_update(actor=user, opportunity=opportunity, hypothesis=text)
    assert opportunity.persona is None and opportunity.hypothesis == text
