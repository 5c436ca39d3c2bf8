import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alignment.models import Role
from research.models import Evidence
from research.models import Insight
from research.models import InsightImport
from research.models import JourneyMap
from research.models import Opportunity
from research.models import OpportunityStatusChange
from tests.contract import FIELDS as CONTRACT
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.factories import UserFactory
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
from tests.research.factories import TagFactory

pytestmark = pytest.mark.django_db


def url(name, workspace, **kwargs):
    return reverse(f"research-api:{name}", kwargs={"workspace_slug": workspace.slug, **kwargs})


# --- The fixed fields of API.md ---------------------------------------------------------

FIXED_FIELDS = {
    "persona": (set(CONTRACT["personas/"]), PersonaFactory),
    "segment": (set(CONTRACT["segments/"]), SegmentFactory),
    "study": (set(CONTRACT["studies/"]), StudyFactory),
    "insight": (set(CONTRACT["insights/"]), InsightFactory),
    "opportunity": (
        {"id", "title", "hypothesis", "status", "supporting_count", "contradicting_count"},
        OpportunityFactory,
    ),
    "competitor": (set(CONTRACT["competitors/"]), CompetitorFactory),
    "journeymap": ({"id", "persona", "name", "stages"}, JourneyMapFactory),
}


@pytest.mark.parametrize("basename", FIXED_FIELDS)
def test_list_and_detail_carry_the_fixed_fields(api, workspace, basename):
    fields, factory_class = FIXED_FIELDS[basename]
    obj = factory_class(workspace=workspace)
    listed = api.get(url(f"{basename}-list", workspace))
    assert listed.status_code == 200
    assert set(listed.json()) == {"count", "next", "previous", "results"}
    assert fields <= set(listed.json()["results"][0])
    detail = api.get(url(f"{basename}-detail", workspace, pk=obj.pk))
    assert detail.status_code == 200 and detail.json()["id"] == obj.pk


LIST_FACTORIES = {
    "persona": lambda ws: PersonaFactory(workspace=ws),
    "segment": lambda ws: SegmentFactory(workspace=ws).personas.add(PersonaFactory(workspace=ws)),
    "study": lambda ws: StudyFactory(workspace=ws).personas.add(PersonaFactory(workspace=ws)),
    "insight": lambda ws: _full_insight(ws),
    "opportunity": lambda ws: _full_opportunity(ws),
    "competitor": lambda ws: CompetitorFactory(workspace=ws),
    "journeymap": lambda ws: JourneyStageFactory(journey_map=JourneyMapFactory(workspace=ws)),
    "insight-import": lambda ws: InsightImportFactory(workspace=ws, created_by=UserFactory()),
}


def _full_insight(workspace):
    insight = InsightFactory(workspace=workspace, study=StudyFactory(workspace=workspace))
    insight.personas.add(PersonaFactory(workspace=workspace))
    insight.features.add(FeatureFactory(product=ProductFactory(workspace=workspace)))
    insight.competitors.add(CompetitorFactory(workspace=workspace))
    insight.tags.add(TagFactory(workspace=workspace))


def _full_opportunity(workspace):
    opportunity = OpportunityFactory(
        workspace=workspace, persona=PersonaFactory(workspace=workspace)
    )
    opportunity.features.add(FeatureFactory(product=ProductFactory(workspace=workspace)))
    EvidenceFactory(opportunity=opportunity)


@pytest.mark.parametrize("basename", LIST_FACTORIES)
def test_list_queries_do_not_grow_with_rows(
    api, workspace, basename, django_assert_max_num_queries
):
    for _ in range(12):
        LIST_FACTORIES[basename](workspace)
    with django_assert_max_num_queries(12):
        response = api.get(url(f"{basename}-list", workspace))
    assert response.status_code == 200
    assert response.json()["count"] == 12


def test_pagination(api, workspace):
    InsightFactory.create_batch(5, workspace=workspace)
    page = api.get(url("insight-list", workspace), {"page_size": 2, "page": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2
    assert page["next"] and page["previous"]


# --- Insights ---------------------------------------------------------------------------


def test_create_insight_with_links_and_tags(api, workspace, user):
    persona = PersonaFactory(workspace=workspace)
    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    competitor = CompetitorFactory(workspace=workspace)
    study = StudyFactory(workspace=workspace)
    response = api.post(
        url("insight-list", workspace),
        {
            "title": "Setup is slow",
            "body": "It took **days**",
            "source": "Call",
            "study": study.pk,
            "personas": [persona.pk],
            "features": [feature.pk],
            "competitors": [competitor.pk],
            "tags": ["onboarding", "Setup"],
            "sentiment": "negative",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["personas"] == [persona.pk] and body["features"] == [feature.pk]
    assert sorted(body["tags"]) == ["Setup", "onboarding"]
    assert "<strong>days</strong>" in body["body_html"]
    assert Insight.objects.get().created_by == user


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"title": ""}, "title"),
        ({"title": "x", "body": "<script>alert(1)</script>"}, "body"),
        ({"title": "x", "body": "[a](javascript:alert(1))"}, "body"),
        ({"title": "x", "body": "y" * 20_001}, "body"),
        ({"title": "x", "sentiment": "angry"}, "sentiment"),
        ({"title": "x", "personas": [999999]}, "personas"),
        ({"title": "x", "tags": "not-a-list"}, "tags"),
    ],
)
def test_create_insight_bad_input_is_a_400_naming_the_field(api, workspace, payload, field):
    response = api.post(url("insight-list", workspace), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Insight.objects.exists()


@pytest.mark.parametrize("relation", ["personas", "features", "competitors", "study"])
def test_ids_of_another_workspace_in_the_body_are_a_400(api, workspace, other_workspace, relation):
    foreign = {
        "personas": lambda: [PersonaFactory(workspace=other_workspace).pk],
        "features": lambda: [FeatureFactory(product=ProductFactory(workspace=other_workspace)).pk],
        "competitors": lambda: [CompetitorFactory(workspace=other_workspace).pk],
        "study": lambda: StudyFactory(workspace=other_workspace).pk,
    }[relation]()
    response = api.post(url("insight-list", workspace), {"title": "x", relation: foreign})
    assert response.status_code == 400
    assert relation in response.json()
    assert not Insight.objects.exists()


def test_insight_filters(api, workspace):
    persona = PersonaFactory(workspace=workspace)
    tagged = InsightFactory(workspace=workspace, sentiment="positive")
    tagged.personas.add(persona)
    tagged.tags.add(TagFactory(workspace=workspace, name="pricing"))
    InsightFactory(workspace=workspace, sentiment="negative")

    def ids(params):
        return [
            row["id"] for row in api.get(url("insight-list", workspace), params).json()["results"]
        ]

    assert ids({"sentiment": "positive"}) == [tagged.pk]
    assert ids({"persona": persona.pk}) == [tagged.pk]
    assert ids({"tag": "Pricing"}) == [tagged.pk]
    assert api.get(url("insight-list", workspace), {"sentiment": "x"}).status_code == 400


def test_search_parameter_searches_insights(api, workspace):
    InsightFactory(workspace=workspace, title="Onboarding takes days", body="")
    InsightFactory(workspace=workspace, title="Pricing", body="")
    results = api.get(url("insight-list", workspace), {"search": "onboarding"}).json()["results"]
    assert [row["title"] for row in results] == ["Onboarding takes days"]
    assert results[0]["search_snippet"] is not None


@pytest.mark.parametrize("basename,factory_class,field", [
    ("study", StudyFactory, "title"),
    ("opportunity", OpportunityFactory, "title"),
    ("persona", PersonaFactory, "name"),
])  # fmt: skip
def test_search_parameter_on_studies_opportunities_personas(
    api, workspace, basename, factory_class, field
):
    factory_class(workspace=workspace, **{field: "Churn deep dive"})
    factory_class(workspace=workspace, **{field: "Something else"})
    results = api.get(url(f"{basename}-list", workspace), {"search": "churn"}).json()["results"]
    assert [row[field] for row in results] == ["Churn deep dive"]


def test_csv_import_endpoint(api, workspace):
    PersonaFactory(workspace=workspace, name="Growth PM")
    csv = b"title,body,source,tags,persona,feature\nGood,,c,,Growth PM,\n,,c,,,\nBad,,c,,Ghost,\n"
    response = api.post(
        url("insight-import-csv", workspace),
        {"file": SimpleUploadedFile("i.csv", csv)},
        format="multipart",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["rows_read"], body["rows_imported"], body["rows_rejected"]) == (3, 1, 2)
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "title"), (4, "persona")]


def test_csv_import_answer_links_the_rejected_rows(api, workspace):
    csv = b"title,persona\nGood,\n-1 star,Ghost\n"
    body = api.post(
        url("insight-import-csv", workspace),
        {"file": SimpleUploadedFile("i.csv", csv)},
        format="multipart",
    ).json()
    errors_path = url("insight-import-errors-csv", workspace, pk=body["id"])
    assert body["errors_url"] == f"http://testserver{errors_path}"
    download = api.get(errors_path)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download.content.decode() == (
        "line,column,reason,title,persona\r\n3,persona,Unknown persona “Ghost”.,'-1 star,Ghost\r\n"
    )
    record = api.get(url("insight-import-detail", workspace, pk=body["id"])).json()
    assert record == {
        "id": body["id"],
        "created_at": record["created_at"],
        "created_by": InsightImport.objects.get().created_by.username,
        "rows_read": 2,
        "rows_imported": 1,
        "rows_rejected": 1,
        "errors_url": body["errors_url"],
        "message": "",
    }


def test_csv_import_without_rejected_rows_has_no_errors_url(api, workspace):
    body = api.post(
        url("insight-import-csv", workspace),
        {"file": SimpleUploadedFile("i.csv", b"title\nFine\n")},
        format="multipart",
    ).json()
    assert body["errors_url"] is None and body["rows_rejected"] == 0
    assert api.get(url("insight-import-errors-csv", workspace, pk=body["id"])).status_code == 404


def test_rejected_rows_of_another_workspace_are_404(api, workspace, other_workspace):
    foreign = InsightImportFactory(workspace=other_workspace)
    assert api.get(url("insight-import-errors-csv", workspace, pk=foreign.pk)).status_code == 404
    assert (
        api.get(url("insight-import-errors-csv", other_workspace, pk=foreign.pk)).status_code == 404
    )
    assert api.get(url("insight-import-list", workspace)).json()["count"] == 0


def test_rejected_rows_anonymous_is_401(api_client, workspace):
    record = InsightImportFactory(workspace=workspace)
    response = api_client.get(url("insight-import-errors-csv", workspace, pk=record.pk))
    assert response.status_code == 401


def test_csv_import_of_a_non_table_is_a_400(api, workspace):
    response = api.post(
        url("insight-import-csv", workspace),
        {"file": SimpleUploadedFile("i.csv", b"foo,bar\n1,2\n")},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()


def test_viewer_cannot_import(api_client, workspace, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.post(
        url("insight-import-csv", workspace),
        {"file": SimpleUploadedFile("i.csv", b"title\nx\n")},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Insight.objects.exists()


# --- Opportunities: evidence and status -------------------------------------------------


def test_opportunity_create_and_hypothesis(api, workspace):
    persona = PersonaFactory(workspace=workspace, name="Growth PM")
    response = api.post(
        url("opportunity-list", workspace),
        {
            "title": "Self-serve",
            "persona": persona.pk,
            "problem": "slow numbers",
            "reason": "one data team",
            "signal": "answers in minutes",
            "status": "validated",  # read-only: ignored
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hypothesis"].startswith("We believe Growth PM has slow numbers because")
    assert body["status"] == "identified"
    assert (body["supporting_count"], body["contradicting_count"]) == (0, 0)


def test_evidence_endpoints(api, workspace, other_workspace):
    opportunity = OpportunityFactory(workspace=workspace)
    a, b = InsightFactory.create_batch(2, workspace=workspace)
    evidence_url = url("opportunity-evidence", workspace, pk=opportunity.pk)

    assert api.post(evidence_url, {"insight": a.pk, "stance": "supporting"}).status_code == 201
    assert api.post(evidence_url, {"insight": b.pk, "stance": "contradicting"}).status_code == 201
    listed = api.get(evidence_url).json()
    assert {(row["insight"], row["stance"]) for row in listed} == {
        (a.pk, "supporting"),
        (b.pk, "contradicting"),
    }
    assert {"id", "insight", "stance"} <= set(listed[0])

    detail = api.get(url("opportunity-detail", workspace, pk=opportunity.pk)).json()
    assert (detail["supporting_count"], detail["contradicting_count"]) == (1, 1)

    foreign = InsightFactory(workspace=other_workspace)
    bad = api.post(evidence_url, {"insight": foreign.pk, "stance": "supporting"})
    assert bad.status_code == 400 and "insight" in bad.json()
    bad = api.post(evidence_url, {"insight": a.pk, "stance": "neutral"})
    assert bad.status_code == 400 and "stance" in bad.json()

    evidence = Evidence.objects.get(insight=b)
    remove_url = url(
        "opportunity-evidence-remove", workspace, pk=opportunity.pk, evidence_pk=evidence.pk
    )
    assert api.delete(remove_url).status_code == 204
    assert api.delete(remove_url).status_code == 404
    assert Evidence.objects.count() == 1


def test_evidence_of_another_opportunity_cannot_be_removed_through_this_one(api, workspace):
    mine = OpportunityFactory(workspace=workspace)
    other = EvidenceFactory(opportunity=OpportunityFactory(workspace=workspace))
    remove_url = url("opportunity-evidence-remove", workspace, pk=mine.pk, evidence_pk=other.pk)
    assert api.delete(remove_url).status_code == 404
    assert Evidence.objects.filter(pk=other.pk).exists()


def test_status_action_records_who_and_why(api, workspace, user):
    opportunity = OpportunityFactory(workspace=workspace)
    status_url = url("opportunity-set-status", workspace, pk=opportunity.pk)

    response = api.post(status_url, {"status": "validating", "reason": "Five calls agree."})

    assert response.status_code == 200
    assert response.json()["status"] == "validating"
    assert response.json()["status_changed_by"] == user.username
    change = OpportunityStatusChange.objects.get()
    assert (change.changed_by, change.reason) == (user, "Five calls agree.")
    history = api.get(url("opportunity-history", workspace, pk=opportunity.pk)).json()
    assert history[0]["to_status"] == "validating"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"status": "validated", "reason": "skip"}, "status"),
        ({"status": "bogus", "reason": "x"}, "status"),
        ({"status": "validating"}, "reason"),
        ({"status": "validating", "reason": "   "}, "reason"),
    ],
)
def test_status_action_bad_input(api, workspace, payload, field):
    opportunity = OpportunityFactory(workspace=workspace)
    response = api.post(url("opportunity-set-status", workspace, pk=opportunity.pk), payload)
    assert response.status_code == 400
    assert field in response.json()
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.IDENTIFIED


def test_actions_on_another_workspaces_opportunity_are_404(api, workspace, other_workspace):
    foreign = OpportunityFactory(workspace=other_workspace)
    insight = InsightFactory(workspace=workspace)
    for name, payload in [
        ("opportunity-set-status", {"status": "validating", "reason": "x"}),
        ("opportunity-evidence", {"insight": insight.pk, "stance": "supporting"}),
    ]:
        assert api.post(url(name, workspace, pk=foreign.pk), payload).status_code == 404
    assert api.get(url("opportunity-evidence", workspace, pk=foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "identified"


def test_viewer_cannot_change_status_or_evidence(api_client, workspace, member):
    api_client.force_authenticate(member(Role.VIEWER))
    opportunity = OpportunityFactory(workspace=workspace)
    insight = InsightFactory(workspace=workspace)
    status = api_client.post(
        url("opportunity-set-status", workspace, pk=opportunity.pk),
        {"status": "validating", "reason": "x"},
    )
    evidence = api_client.post(
        url("opportunity-evidence", workspace, pk=opportunity.pk),
        {"insight": insight.pk, "stance": "supporting"},
    )
    assert (status.status_code, evidence.status_code) == (403, 403)
    assert (
        api_client.get(url("opportunity-evidence", workspace, pk=opportunity.pk)).status_code == 200
    )


def test_opportunity_filters(api, workspace):
    validating = OpportunityFactory(workspace=workspace, status="validating")
    OpportunityFactory(workspace=workspace)
    results = api.get(url("opportunity-list", workspace), {"status": "validating"}).json()[
        "results"
    ]
    assert [row["id"] for row in results] == [validating.pk]


# --- Journey maps, studies, segments ----------------------------------------------------


def test_journey_map_with_ordered_stages(api, workspace, other_workspace):
    persona = PersonaFactory(workspace=workspace)
    response = api.post(
        url("journeymap-list", workspace),
        {
            "persona": persona.pk,
            "name": "Trial",
            "stages": [
                {"name": "Discover", "touchpoints": "Newsletter"},
                {"name": "Sign up", "pains": "SDK install"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    stages = response.json()["stages"]
    assert [(s["position"], s["name"]) for s in stages] == [(1, "Discover"), (2, "Sign up")]

    journey_url = url("journeymap-detail", workspace, pk=response.json()["id"])
    patched = api.patch(journey_url, {"stages": [{"name": "Only"}]})
    assert [s["name"] for s in patched.json()["stages"]] == ["Only"]

    foreign = PersonaFactory(workspace=other_workspace)
    bad = api.post(url("journeymap-list", workspace), {"persona": foreign.pk, "name": "X"})
    assert bad.status_code == 400 and "persona" in bad.json()
    bad = api.post(
        url("journeymap-list", workspace), {"persona": persona.pk, "name": "Y", "stages": [{}]}
    )
    assert bad.status_code == 400 and "stages" in bad.json()
    assert JourneyMap.objects.count() == 1


def test_study_responses_give_nps_and_csat(api, workspace):
    from tests.research.test_selectors import _answer

    study = StudyFactory(workspace=workspace, survey="Beta survey")
    _answer(workspace, "Beta survey", "nps", 10)
    _answer(workspace, "Beta survey", "nps", 2)
    _answer(workspace, "Beta survey", "csat", 5)
    _answer(workspace, "Other", "csat", 1)
    body = api.get(url("study-responses", workspace, pk=study.pk)).json()
    assert body["count"] == 3
    assert (body["nps"], body["csat"]) == (0.0, 1.0)
    assert {"survey", "respondent", "submitted_at", "scale", "score"} <= set(body["results"][0])
    assert api.post(url("study-responses", workspace, pk=study.pk), {}).status_code == 405


def test_study_create_and_kind_validation(api, workspace):
    ok = api.post(
        url("study-list", workspace),
        {"kind": "usability", "title": "Checkout test", "started_on": "2026-05-01"},
    )
    assert ok.status_code == 201
    bad = api.post(url("study-list", workspace), {"kind": "focus_group", "title": "x"})
    assert bad.status_code == 400 and "kind" in bad.json()
    dup = api.post(url("study-list", workspace), {"kind": "survey", "title": "checkout TEST"})
    assert dup.status_code == 400


def test_segment_and_competitor_writes(api, workspace):
    persona = PersonaFactory(workspace=workspace)
    segment = api.post(
        url("segment-list", workspace), {"name": "SMB", "criteria": "<50", "personas": [persona.pk]}
    )
    assert segment.status_code == 201 and segment.json()["personas"] == [persona.pk]
    competitor = api.post(
        url("competitor-list", workspace), {"name": "Rival", "positioning": "Big"}
    )
    assert competitor.status_code == 201
    patched = api.patch(
        url("competitor-detail", workspace, pk=competitor.json()["id"]), {"weaknesses": "Slow"}
    )
    assert patched.json()["weaknesses"] == "Slow"
    assert api.post(url("competitor-list", workspace), {"name": "rival"}).status_code == 400


def test_tags_list_for_autocompletion(api, workspace, other_workspace):
    insight = InsightFactory(workspace=workspace)
    insight.tags.add(TagFactory(workspace=workspace, name="pricing"))
    TagFactory(workspace=workspace, name="onboarding")
    TagFactory(workspace=other_workspace, name="private")
    results = api.get(url("tag-list", workspace)).json()["results"]
    assert [(row["name"], row["insight_count"]) for row in results] == [
        ("onboarding", 0),
        ("pricing", 1),
    ]
    searched = api.get(url("tag-list", workspace), {"search": "pri"}).json()["results"]
    assert [row["name"] for row in searched] == ["pricing"]
    assert api.post(url("tag-list", workspace), {"name": "x"}).status_code == 405


def test_opportunity_hypothesis_can_be_written_as_a_sentence(api, workspace, other_workspace):
    persona = PersonaFactory(workspace=workspace, name="Growth PM")
    PersonaFactory(workspace=other_workspace, name="Globex PM")
    sentence = (
        "We believe growth pm has to wait days for numbers because one team owns the data; "
        "we will know we are right when PMs answer in minutes."
    )
    response = api.post(url("opportunity-list", workspace), {"title": "T", "hypothesis": sentence})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["persona"], body["problem"], body["signal"]) == (
        persona.pk,
        "to wait days for numbers",
        "PMs answer in minutes",
    )
    assert body["hypothesis"].startswith("We believe Growth PM has to wait days")

    # Never refused: free text is kept as written; an unknown persona is left empty
    # (another workspace's personas are not candidates; tests/research/test_hypothesis.py).
    for index, text in enumerate(("Customers want it", sentence.replace("growth pm", "Globex PM"))):
        response = api.post(
            url("opportunity-list", workspace), {"title": f"U{index}", "hypothesis": text}
        )
        assert response.status_code == 201, response.content
        assert (response.json()["hypothesis"], response.json()["persona"]) == (text, None)
    assert response.json()["suggested_persona"] is None  # "Globex PM" is not close enough
    assert Opportunity.objects.count() == 3
