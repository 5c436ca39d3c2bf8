import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alignment.models import Role
from research.models import Competitor
from research.models import Evidence
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import Opportunity
from research.models import Persona
from research.models import Segment
from research.models import Study
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.research.factories import CompetitorFactory
from tests.research.factories import EvidenceFactory
from tests.research.factories import InsightFactory
from tests.research.factories import InsightImportFactory
from tests.research.factories import JourneyMapFactory
from tests.research.factories import JourneyStageFactory
from tests.research.factories import OpportunityFactory
from tests.research.factories import PersonaFactory
from tests.research.factories import SegmentFactory
from tests.research.factories import StudyFactory

pytestmark = pytest.mark.django_db


def page(name, workspace, **kwargs):
    return reverse(f"research:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


FACTORIES = {
    "persona": PersonaFactory,
    "segment": SegmentFactory,
    "study": StudyFactory,
    "insight": InsightFactory,
    "opportunity": OpportunityFactory,
    "competitor": CompetitorFactory,
    "journeymap": JourneyMapFactory,
}


@pytest.mark.parametrize("name", FACTORIES)
def test_every_page_of_every_model_renders(web, workspace, name):
    obj = FACTORIES[name](workspace=workspace)
    for view, kwargs in [
        ("list", {}),
        ("create", {}),
        ("detail", {"pk": obj.pk}),
        ("update", {"pk": obj.pk}),
        ("delete", {"pk": obj.pk}),
    ]:
        response = web.get(page(f"{name}_{view}", workspace, **kwargs))
        assert response.status_code == 200, (view, response.status_code)
    assert str(obj) in web.get(page(f"{name}_list", workspace)).content.decode()


@pytest.mark.parametrize("name", FACTORIES)
def test_pages_of_another_workspace_are_404(web, workspace, other_workspace, name):
    obj = FACTORIES[name](workspace=other_workspace)
    for view in ("detail", "update", "delete"):
        assert web.get(page(f"{name}_{view}", workspace, pk=obj.pk)).status_code == 404
    assert web.post(page(f"{name}_delete", workspace, pk=obj.pk)).status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert web.get(page(f"{name}_list", other_workspace)).status_code == 404


def test_viewer_reads_but_cannot_write(client, workspace, member):
    client.force_login(member(Role.VIEWER))
    insight = InsightFactory(workspace=workspace)
    assert client.get(page("insight_detail", workspace, pk=insight.pk)).status_code == 200
    assert client.get(page("insight_create", workspace)).status_code == 403
    assert client.get(page("insight_quick", workspace)).status_code == 403
    assert client.post(page("insight_delete", workspace, pk=insight.pk)).status_code == 403
    assert Insight.objects.filter(pk=insight.pk).exists()


def test_anonymous_is_sent_to_login(client, workspace):
    response = client.get(page("index", workspace))
    assert response.status_code == 302 and "login" in response["Location"]


def test_research_home_shows_recent_insights_and_status_counts(web, workspace):
    InsightFactory(workspace=workspace, title="Fresh insight")
    OpportunityFactory.create_batch(2, workspace=workspace, status="validating")
    response = web.get(page("index", workspace))
    content = response.content.decode()
    assert "Fresh insight" in content
    assert response.context["status_counts"][1][1] == 2
    assert 'name="q"' in content


def test_search_page_lists_results_with_escaped_highlighted_snippets(web, workspace):
    InsightFactory(workspace=workspace, title="Churn after trial", body="Users <b>churn</b> fast")
    StudyFactory(workspace=workspace, title="Churn study")
    response = web.get(page("search", workspace), {"q": "churn"})
    content = response.content.decode()
    assert "Churn after trial" in content and "Churn study" in content
    assert "<b>churn</b>" not in content
    assert "<mark>" in content


def test_insight_list_filters_and_search(web, workspace):
    persona = PersonaFactory(workspace=workspace)
    mine = InsightFactory(workspace=workspace, title="Pricing worries", sentiment="negative")
    mine.personas.add(persona)
    InsightFactory(workspace=workspace, title="Love the funnels", sentiment="positive")
    for params in ({"sentiment": "negative"}, {"persona": persona.pk}, {"search": "pricing"}):
        listed = list(web.get(page("insight_list", workspace), params).context["object_list"])
        assert listed == [mine], params


def test_create_insight_through_the_form(web, workspace):
    persona = PersonaFactory(workspace=workspace)
    response = web.post(
        page("insight_create", workspace),
        {
            "title": "Setup is slow",
            "body": "Two **days**",
            "sentiment": "negative",
            "personas": [persona.pk],
            "tags": "onboarding, setup",
        },
    )
    insight = Insight.objects.get()
    assert response.status_code == 302 and response["Location"] == insight.get_absolute_url()
    assert sorted(insight.tags.values_list("name", flat=True)) == ["onboarding", "setup"]
    detail = web.get(insight.get_absolute_url()).content.decode()
    assert "<strong>days</strong>" in detail


def test_insight_form_shows_errors_and_stores_nothing(web, workspace, other_workspace):
    foreign = PersonaFactory(workspace=other_workspace)
    response = web.post(
        page("insight_create", workspace),
        {
            "title": "",
            "body": "<img src=x onerror=alert(1)>",
            "sentiment": "neutral",
            "personas": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert {"title", "body", "personas"} <= set(response.context["form"].errors)
    assert not Insight.objects.exists()


def test_edit_form_keeps_existing_tags(web, workspace, user):
    from research.services import insight_create

    insight = insight_create(actor=user, workspace=workspace, title="x", tags=["alpha", "beta"])
    form = web.get(page("insight_update", workspace, pk=insight.pk)).context["form"]
    assert form["tags"].value() and "alpha" in form.fields["tags"].prepare_value(
        form["tags"].value()
    )


def test_quick_capture_returns_to_an_empty_form(web, workspace):
    response = web.post(
        page("insight_quick", workspace),
        {
            "title": "Wants CSV export",
            "evidence": "“Can I get this in Excel?”",
            "sentiment": "neutral",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page("insight_quick", workspace)
    assert Insight.objects.get().evidence == "“Can I get this in Excel?”"


def test_csv_import_page_lists_bad_rows_and_keeps_good_ones(web, workspace):
    csv = b"title,persona\nGood row,\n,\nGhost row,Nobody\n"
    response = web.post(
        page("insight_import", workspace), {"file": SimpleUploadedFile("x.csv", csv)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Unknown persona" in content and "<td>4</td>" in content and "<td>3</td>" in content
    assert list(Insight.objects.values_list("title", flat=True)) == ["Good row"]


ERRORS_CSV = (
    "line,column,reason,Title,Persona,Feature\r\n"
    "3,persona; feature,Unknown persona “Nobody”. Unknown feature “Warp”.,Two,Nobody,Warp\r\n"
    '4,persona,Unknown persona “Ghost”.,"\'=HYPERLINK(""http://x"")",Ghost,\r\n'
)


def test_csv_import_page_links_the_rejected_rows_as_csv(web, workspace):
    upload = 'Title,Persona,Feature\nGood,,\nTwo,Nobody,Warp\n"=HYPERLINK(""http://x"")",Ghost,\n'
    response = web.post(
        page("insight_import", workspace),
        {"file": SimpleUploadedFile("x.csv", upload.encode())},
    )
    record = InsightImport.objects.get()
    link = page("insight_import_errors", workspace, pk=record.pk)
    assert f'href="{link}"' in response.content.decode()
    download = web.get(link)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert f"insight-import-{record.pk}-errors.csv" in download["Content-Disposition"]
    # One line per rejected row, its cells as written; the formula is quoted into text.
    assert download.content.decode() == ERRORS_CSV


def test_the_rejected_rows_once_fixed_import_again(web, workspace):
    upload = b"Title,Persona\nGood,\nTwo,Nobody\n"
    web.post(page("insight_import", workspace), {"file": SimpleUploadedFile("x.csv", upload)})
    record = InsightImport.objects.get()
    errors_csv = web.get(page("insight_import_errors", workspace, pk=record.pk)).content
    fixed = errors_csv.replace(b",Nobody", b",")  # the extra line/column/reason are ignored
    web.post(page("insight_import", workspace), {"file": SimpleUploadedFile("x.csv", fixed)})
    assert InsightImport.objects.latest("id").rows_rejected == 0
    assert sorted(Insight.objects.values_list("title", flat=True)) == ["Good", "Two"]


def test_csv_import_without_rejected_rows_offers_no_download(web, workspace):
    response = web.post(
        page("insight_import", workspace),
        {"file": SimpleUploadedFile("x.csv", b"title\nFine\n")},
    )
    record = InsightImport.objects.get()
    assert "errors.csv" not in response.content.decode()
    assert web.get(page("insight_import_errors", workspace, pk=record.pk)).status_code == 404


def test_rejected_rows_of_another_workspace_are_404(web, workspace, other_workspace):
    foreign = InsightImportFactory(workspace=other_workspace)
    response = web.get(page("insight_import_errors", workspace, pk=foreign.pk))
    assert response.status_code == 404
    assert web.get(page("insight_import_errors", other_workspace, pk=foreign.pk)).status_code == 404


def test_rejected_rows_need_a_signed_in_member(client, workspace, member):
    record = InsightImportFactory(workspace=workspace)
    link = page("insight_import_errors", workspace, pk=record.pk)
    response = client.get(link)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(member(Role.VIEWER))  # reading is for every member
    assert client.get(link).status_code == 200


def test_csv_import_page_refuses_a_file_that_is_not_a_table(web, workspace):
    response = web.post(
        page("insight_import", workspace), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")}
    )
    assert response.status_code == 400
    assert "Missing column" in response.content.decode()


def test_delete_needs_confirmation(web, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert "Delete" in web.get(page("persona_delete", workspace, pk=persona.pk)).content.decode()
    assert Persona.objects.filter(pk=persona.pk).exists()
    response = web.post(page("persona_delete", workspace, pk=persona.pk))
    assert response.status_code == 302 and response["Location"] == page("persona_list", workspace)
    assert not Persona.objects.filter(pk=persona.pk).exists()


@pytest.mark.parametrize(
    "name,data,model",
    [
        ("persona_create", {"name": "Growth PM", "goals": "Grow"}, Persona),
        ("segment_create", {"name": "SMB", "criteria": "<50"}, Segment),
        ("study_create", {"title": "Calls", "kind": "interview"}, Study),
        ("competitor_create", {"name": "Rival", "positioning": "Big"}, Competitor),
        ("opportunity_create", {"title": "Faster answers", "problem": "slow"}, Opportunity),
    ],
)
def test_create_pages_save_through_services(web, workspace, name, data, model):
    response = web.post(page(name, workspace), data)
    assert response.status_code == 302, response.context["form"].errors
    assert model.objects.in_workspace(workspace).count() == 1


def test_update_page_saves(web, workspace):
    competitor = CompetitorFactory(workspace=workspace)
    response = web.post(
        page("competitor_update", workspace, pk=competitor.pk),
        {"name": competitor.name, "weaknesses": "Expensive"},
    )
    assert response.status_code == 302
    competitor.refresh_from_db()
    assert competitor.weaknesses == "Expensive"


def test_opportunity_page_shows_evidence_for_and_against(web, workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    EvidenceFactory(opportunity=opportunity, stance="supporting", insight__title="Pro insight")
    EvidenceFactory(opportunity=opportunity, stance="contradicting", insight__title="Con insight")
    response = web.get(opportunity.get_absolute_url())
    assert [e.insight.title for e in response.context["supporting"]] == ["Pro insight"]
    assert [e.insight.title for e in response.context["contradicting"]] == ["Con insight"]
    assert "We believe" in response.content.decode()


def test_opportunity_status_and_evidence_forms(web, workspace, user):
    opportunity = OpportunityFactory(workspace=workspace)
    insight = InsightFactory(workspace=workspace)

    bad = web.post(
        page("opportunity_status", workspace, pk=opportunity.pk),
        {"status": "validated", "reason": "skip ahead"},
    )
    assert bad.status_code == 400
    ok = web.post(
        page("opportunity_status", workspace, pk=opportunity.pk),
        {"status": "validating", "reason": "Calls agree"},
    )
    assert ok.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.status_changed_by) == ("validating", user)

    linked = web.post(
        page("opportunity_evidence", workspace, pk=opportunity.pk),
        {"insight": insight.pk, "stance": "contradicting"},
    )
    assert linked.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.stance == "contradicting"
    web.post(
        page("opportunity_evidence_remove", workspace, pk=opportunity.pk, evidence_pk=evidence.pk)
    )
    assert not Evidence.objects.exists()


def test_persona_profile_page(web, workspace):
    persona = PersonaFactory(workspace=workspace, name="Growth PM")
    feature = FeatureFactory(product=ProductFactory(workspace=workspace), name="Funnels")
    insight = InsightFactory(workspace=workspace, title="Wants funnels")
    insight.personas.add(persona)
    insight.features.add(feature)
    OpportunityFactory(workspace=workspace, persona=persona, title="Self-serve funnels")
    JourneyStageFactory(
        journey_map=JourneyMapFactory(workspace=workspace, persona=persona), name="Discover"
    )
    content = web.get(persona.get_absolute_url()).content.decode()
    for text in ("Wants funnels", "Self-serve funnels", "Discover", "Funnels"):
        assert text in content


def test_feature_research_page(web, workspace, other_workspace):
    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    insight = InsightFactory(workspace=workspace, title="Behind the feature")
    insight.features.add(feature)
    response = web.get(page("feature_research", workspace, pk=feature.pk))
    assert response.status_code == 200 and "Behind the feature" in response.content.decode()
    foreign = FeatureFactory(product=ProductFactory(workspace=other_workspace))
    assert web.get(page("feature_research", workspace, pk=foreign.pk)).status_code == 404


def test_competitor_page_lists_mentions(web, workspace):
    competitor = CompetitorFactory(workspace=workspace)
    InsightFactory(workspace=workspace, title="Switching from them").competitors.add(competitor)
    InsightFactory(workspace=workspace, title="Not about them")
    content = web.get(competitor.get_absolute_url()).content.decode()
    assert "Switching from them" in content and "Not about them" not in content


def test_study_page_shows_nps_once_responses_exist(web, workspace):
    from tests.research.test_selectors import _answer

    study = StudyFactory(workspace=workspace, survey="")
    assert "No survey attached" in web.get(study.get_absolute_url()).content.decode()
    study.survey = "Quarterly NPS"
    study.save()
    assert "No responses imported" in web.get(study.get_absolute_url()).content.decode()
    _answer(workspace, "Quarterly NPS", "nps", 10)
    _answer(workspace, "Quarterly NPS", "csat", 4)
    response = web.get(study.get_absolute_url())
    assert response.context["scores"].nps == 100.0
    body = response.content.decode()
    assert 'data-kpi="csat">100.0%' in body and 'data-kpi="nps">+100<' in body


def test_journey_map_form_with_stages(web, workspace):
    persona = PersonaFactory(workspace=workspace)
    data = {
        "persona": persona.pk,
        "name": "Trial",
        "stages-TOTAL_FORMS": "3",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "30",
        "stages-0-name": "Discover",
        "stages-0-pains": "Hard to judge fit",
        "stages-1-name": "Sign up",
        "stages-2-name": "",
    }
    response = web.post(page("journeymap_create", workspace), data)
    assert response.status_code == 302
    journey = JourneyMap.objects.get()
    assert list(journey.stages.values_list("name", flat=True)) == ["Discover", "Sign up"]

    edit = web.get(page("journeymap_update", workspace, pk=journey.pk))
    assert edit.context["formset"].initial[0]["name"] == "Discover"
    data.update({"stages-0-ORDER": "2", "stages-1-ORDER": "1"})
    response = web.post(page("journeymap_update", workspace, pk=journey.pk), data)
    assert list(journey.stages.values_list("name", flat=True)) == ["Sign up", "Discover"]

    data.update({"stages-0-DELETE": "on"})
    response = web.post(page("journeymap_update", workspace, pk=journey.pk), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(journey.stages.values_list("name", flat=True)) == ["Sign up"]


def test_list_pages_do_not_grow_queries(web, workspace, django_assert_max_num_queries):
    for _ in range(10):
        insight = InsightFactory(workspace=workspace)
        insight.personas.add(PersonaFactory(workspace=workspace))
        EvidenceFactory(opportunity=OpportunityFactory(workspace=workspace), insight=insight)
    with django_assert_max_num_queries(20):
        assert web.get(page("insight_list", workspace)).status_code == 200
    with django_assert_max_num_queries(20):
        assert web.get(page("opportunity_list", workspace)).status_code == 200
    with django_assert_max_num_queries(25):
        assert web.get(page("index", workspace)).status_code == 200


def test_the_feature_page_links_to_its_research(web, workspace):
    from tests.factories import FeatureFactory
    from tests.factories import ProductFactory

    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    page = web.get(feature.get_absolute_url()).content.decode()
    assert f"/w/{workspace.slug}/research/features/{feature.pk}/" in page
