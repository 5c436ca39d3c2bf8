"""Events recorded by the services that make each change: the Event row (kind, subject,
message) written in the change's transaction, and after commit the notifications of the
right people, never the actor."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from alignment import services as core_services
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.collaboration.models import Notification
from alignment.messaging import services as messaging
from alignment.messaging.models import Claim
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import ReviewStatus
from alignment.models import Role
from launches import services as launches
from metrics import services as metrics
from metrics.models import Diagnosis
from metrics.models import ImportJob
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory
from tests.launches.factories import MilestoneFactory
from tests.launches.factories import feature_in
from tests.metrics.diagnostics_helpers import TODAY
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import day
from tests.metrics.diagnostics_helpers import fact
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_job
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(member):
    """Two PMs (product) and two PMMs (marketing), plus a sales member."""
    return {
        "pm": member(Role.PM),
        "pm2": member(Role.PM),
        "pmm": member(Role.PMM),
        "pmm2": member(Role.MARKETING),
        "sales": member(Role.SALES),
    }


def the_event(kind) -> Event:
    [event] = Event.objects.filter(kind=kind)
    return event


def notified(event: Event) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


def ids(*users) -> set[int]:
    return {user.pk for user in users}


# --- Claims and documents -------------------------------------------------------------


def test_a_submitted_claim_tells_the_other_team(
    workspace, team, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(workspace=workspace, author=team["pm"], headline="Finds churn fast")
    with django_capture_on_commit_callbacks(execute=True):
        messaging.claim_submit(actor=team["pm"], claim=claim)
    event = the_event(EventKind.CLAIM_SUBMITTED)
    assert (event.subject_type, event.subject_id) == ("claim", claim.pk)
    assert event.actor == team["pm"] and "Finds churn fast" in event.message
    assert event.url == claim.get_absolute_url()
    assert notified(event) == ids(team["pmm"], team["pmm2"])  # marketing reviews product's


def test_a_submitted_document_of_marketing_tells_product(
    workspace, team, django_capture_on_commit_callbacks
):
    document = HandoffDocumentFactory(workspace=workspace, author=team["pmm"], title="FAQ")
    with django_capture_on_commit_callbacks(execute=True):
        messaging.document_submit(actor=team["pmm"], document=document)
    event = the_event(EventKind.DOCUMENT_SUBMITTED)
    assert (event.subject_type, event.subject_id) == ("document", document.pk)
    assert notified(event) == ids(team["pm"], team["pm2"])


def test_a_review_tells_the_author_with_the_decision(
    workspace, team, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(
        workspace=workspace,
        author=team["pm"],
        headline="Finds churn",
        status=ReviewStatus.IN_REVIEW,
    )
    with django_capture_on_commit_callbacks(execute=True):
        messaging.claim_review(
            actor=team["pmm"], claim=claim, decision="request_changes", comment="Cite the study."
        )
    event = the_event(EventKind.CLAIM_REVIEWED)
    assert event.data == {"decision": "request_changes", "comment": "Cite the study."}
    assert "requested changes" in event.message and "Cite the study." in event.message
    assert notified(event) == ids(team["pm"])

    document = HandoffDocumentFactory(
        workspace=workspace, author=team["pmm"], status=ReviewStatus.IN_REVIEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        messaging.document_review(actor=team["pm"], document=document, decision="approve")
    event = the_event(EventKind.DOCUMENT_REVIEWED)
    assert event.data["decision"] == "approve" and "approved" in event.message
    assert notified(event) == ids(team["pmm"])


def test_a_rolled_back_change_records_nothing(workspace, team, django_capture_on_commit_callbacks):
    claim = ClaimFactory(workspace=workspace, author=team["pm"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        messaging.claim_submit(actor=team["pm"], claim=claim)
        raise RuntimeError("undo")
    assert callbacks == []
    assert not Event.objects.exists() and not Notification.objects.exists()


def test_a_refused_change_records_nothing(workspace, team):
    claim = ClaimFactory(workspace=workspace, author=team["pm"], status=ReviewStatus.APPROVED)
    with pytest.raises(Exception, match="submitted"):
        messaging.claim_submit(actor=team["pm"], claim=claim)
    assert not Event.objects.exists()


# --- Feedback ------------------------------------------------------------------------------


def test_feedback_tells_the_receiving_team_and_its_answers_the_author(
    workspace, team, django_capture_on_commit_callbacks
):
    feature = feature_in(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = messaging.feedback_create(
            actor=team["pmm"],
            workspace=workspace,
            to_team="product",
            subject_type="feature",
            subject_id=feature.pk,
            title="CSV export",
            body="Customers ask for it.",
        )
    event = the_event(EventKind.FEEDBACK_CREATED)
    assert (event.subject_type, event.subject_id) == ("feedback", feedback.pk)
    assert "CSV export" in event.message
    assert notified(event) == ids(team["pm"], team["pm2"])

    # The author's own follow-up is no answer.
    with django_capture_on_commit_callbacks(execute=True):
        messaging.feedback_comment_add(actor=team["pmm"], feedback=feedback, body="Any news?")
    assert not Event.objects.filter(kind=EventKind.FEEDBACK_ANSWERED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        messaging.feedback_comment_add(actor=team["pm"], feedback=feedback, body="Next sprint.")
    event = the_event(EventKind.FEEDBACK_ANSWERED)
    assert "Next sprint." in event.message and event.data["comment"] == "Next sprint."
    assert notified(event) == ids(team["pmm"])

    with django_capture_on_commit_callbacks(execute=True):
        messaging.feedback_set_status(actor=team["pm2"], feedback=feedback, status="acknowledged")
    event = Event.objects.filter(kind=EventKind.FEEDBACK_ANSWERED).first()  # the latest
    assert event.data["status"] == "acknowledged" and event.actor == team["pm2"]
    assert notified(event) == ids(team["pmm"])


# --- Launches ------------------------------------------------------------------------------


def test_an_assignment_tells_the_assignee_but_not_a_self_assignment(
    workspace, team, django_capture_on_commit_callbacks
):
    launch = LaunchFactory(workspace=workspace, name="Spring")
    with django_capture_on_commit_callbacks(execute=True):
        task = launches.launch_task_create(
            actor=team["pm"],
            workspace=workspace,
            launch=launch,
            title="Webinar deck",
            due_date=launch.launch_date - timedelta(days=3),
            assignee=team["pmm"],
        )
    event = the_event(EventKind.TASK_ASSIGNED)
    assert (event.subject_type, event.subject_id) == ("launch_task", task.pk)
    assert "Webinar deck" in event.message and "Spring" in event.message
    assert notified(event) == ids(team["pmm"])

    with django_capture_on_commit_callbacks(execute=True):
        launches.launch_task_update(actor=team["pm"], task=task, assignee=team["pm"])
    mine = Event.objects.filter(kind=EventKind.TASK_ASSIGNED).first()
    assert mine.recipient_ids == [team["pm"].pk]
    assert notified(mine) == set()  # nobody hears of their own action


def test_overdue_tasks_tell_the_assignee_once_a_day_in_the_digest(
    workspace, team, django_capture_on_commit_callbacks
):
    launch = LaunchFactory(workspace=workspace, launch_date=TODAY + timedelta(days=30))
    late = LaunchTaskFactory(
        workspace=workspace, launch=launch, assignee=team["pmm"], due_date=day(3), title="Deck"
    )
    later = LaunchTaskFactory(
        workspace=workspace, launch=launch, assignee=team["pmm"], due_date=day(1), title="Post"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert launches.overdue_digest_send_all(today=TODAY) == 1
        assert launches.overdue_digest_send_all(today=TODAY) == 0
    events = Event.objects.filter(kind=EventKind.TASK_OVERDUE).order_by("subject_id")
    assert [event.subject_id for event in events] == sorted([late.pk, later.pk])
    assert "“Deck”" in events[0].message and "3 days ago" in events[0].message
    notifications = Notification.objects.filter(event__kind=EventKind.TASK_OVERDUE)
    assert {n.recipient_id for n in notifications} == ids(team["pmm"])
    # Overdue work is mailed in the daily digest by default, not one email per task.
    assert {n.email for n in notifications} == {Notification.Email.DIGEST}


# --- Imports -------------------------------------------------------------------------------


def _import(workspace, actor, data: bytes) -> ImportJob:
    return run_import(workspace, "campaign", data, name="spring.csv", actor=actor)


def test_a_finished_import_tells_its_creator(workspace, team, django_capture_on_commit_callbacks):
    data = csv_bytes(CAMPAIGN_HEADER, "2024-03-01,Spring Sale,email,100.00,1000,50,40,10,4,300")
    with django_capture_on_commit_callbacks(execute=True):
        job = _import(workspace, team["pm"], data)
    event = the_event(EventKind.IMPORT_FINISHED)
    assert (event.subject_type, event.subject_id) == ("import", job.pk)
    assert event.actor is None and "spring.csv" in event.message
    assert "1 rows imported" in event.message
    assert notified(event) == ids(team["pm"])  # the system did it: the creator hears


def test_a_failed_import_tells_its_creator(workspace, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _import(workspace, team["pmm"], csv_bytes(CAMPAIGN_HEADER))
    assert job.status == ImportJob.Status.FAILED
    event = the_event(EventKind.IMPORT_FAILED)
    assert event.subject_id == job.pk and "no data rows" in event.message
    assert notified(event) == ids(team["pmm"])
    # A redelivered task finds the job finished: nobody hears twice.
    metrics.import_job_run(job=ImportJob.objects.get(pk=job.pk))
    assert Event.objects.filter(kind__startswith="import.").count() == 1


def test_an_import_given_up_tells_its_creator_once(workspace, team):
    job = import_job(workspace, "campaign", b"date\n", name="x.csv", actor=team["pm"])
    metrics.import_job_give_up(job_id=job.pk, reason="the broker kept failing")
    metrics.import_job_give_up(job_id=job.pk, reason="the broker kept failing")
    event = the_event(EventKind.IMPORT_FAILED)
    assert event.recipient_ids == [team["pm"].pk] and "broker kept failing" in event.message


# --- Diagnoses, launches at risk, objectives off track, releases -----------------------------


def _unsupported_claim(workspace):
    feature = feature_in(workspace, status="beta", name="Funnels")
    promo = campaign(workspace, "Promo", start_date=day(5))
    promo.features.set([feature])
    Claim.objects.create(
        workspace=workspace,
        headline="Funnels in one click",
        feature=feature,
        status=ReviewStatus.APPROVED,
    )
    return feature


def test_diagnoses_opened_and_resolved_tell_their_team(
    workspace, team, django_capture_on_commit_callbacks
):
    feature = _unsupported_claim(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        metrics.diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(rule="unsupported_claim")
    opened = the_event(EventKind.DIAGNOSIS_OPENED)
    assert (opened.subject_type, opened.subject_id) == ("diagnosis", diagnosis.pk)
    assert "Funnels in one click" in opened.message and opened.actor is None
    assert opened.data["rule"] == "unsupported_claim"
    assert notified(opened) == ids(team["pmm"], team["pmm2"])  # marketing owns it

    with django_capture_on_commit_callbacks(execute=True):
        metrics.diagnostics_run(workspace=workspace)  # still there: nothing new to tell
    assert Event.objects.filter(kind__startswith="diagnosis.").count() == 1

    # Releasing the feature runs the diagnostics again (metrics' feature_released
    # receiver), which resolves the diagnosis.
    with django_capture_on_commit_callbacks(execute=True):
        assert core_services.feature_release(actor=team["pm"], feature=feature, released_on=TODAY)
    diagnosis.refresh_from_db()
    assert diagnosis.state == Diagnosis.State.RESOLVED
    resolved = the_event(EventKind.DIAGNOSIS_RESOLVED)
    assert resolved.subject_id == diagnosis.pk and resolved.message.startswith("Resolved")
    assert notified(resolved) == ids(team["pmm"], team["pmm2"])


def test_a_github_release_naming_the_feature_supports_its_claim_and_closes_the_diagnosis(
    workspace, team, api_client, django_capture_on_commit_callbacks
):
    """The loop from outside: a published GitHub release whose notes name the feature's
    Jira key releases it, its approved claim becomes supported, and the unsupported-claim
    diagnosis closes on the diagnostics run the release asks for."""
    from django.urls import reverse

    from alignment.collaboration.services import inbound_hook_get
    from tests.collaboration.hook_payloads import encode
    from tests.collaboration.hook_payloads import github_headers
    from tests.collaboration.hook_payloads import github_release

    feature = _unsupported_claim(workspace)
    feature.external_refs = ["PAY-123"]
    feature.save()
    claim = Claim.objects.get(feature=feature)
    metrics.diagnostics_run(workspace=workspace)
    diagnosis = Diagnosis.objects.get(rule="unsupported_claim")
    assert diagnosis.state == Diagnosis.State.OPEN and not claim.supported

    body = encode(github_release(name="v2.4.0", body="Shipped: funnels in one click (PAY-123)."))
    secret = inbound_hook_get(workspace=workspace).secret
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("inbound-hook", kwargs={"workspace_slug": workspace.slug, "source": "github"}),
            data=body,
            content_type="application/json",
            **github_headers(secret, body),
        )
    assert response.status_code == 202, response.content
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.supported and claim.feature.status == "released"
    diagnosis.refresh_from_db()
    assert diagnosis.state == Diagnosis.State.RESOLVED
    assert Event.objects.filter(kind=EventKind.FEATURE_RELEASED, subject_id=feature.pk).exists()


def test_a_run_resolving_many_diagnoses_costs_one_insert_each(workspace, other_workspace, team):
    """Team members are read once per team and run, subjects in bulk: resolving twice as
    many diagnoses costs only the events' own INSERTs more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.metrics.factories import DiagnosisFactory

    def run(workspace_, count) -> int:
        for _ in range(count):
            DiagnosisFactory(workspace=workspace_, rule="unsupported_claim", subject_type="feature")
        with CaptureQueriesContext(connection) as queries:
            result = metrics.diagnostics_run(workspace=workspace_)
        assert len(result.resolved) == count
        return len(queries)

    assert run(workspace, 20) - run(other_workspace, 10) == 10
    assert Event.objects.filter(kind=EventKind.DIAGNOSIS_RESOLVED).count() == 30


def test_a_launch_at_risk_and_back_on_track(workspace, team, django_capture_on_commit_callbacks):
    launch = LaunchFactory(
        workspace=workspace,
        name="Spring",
        launch_date=TODAY + timedelta(days=10),
        created_by=team["pm"],
    )
    milestone = MilestoneFactory(
        workspace=workspace, launch=launch, team="marketing", due_date=day(2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        metrics.diagnostics_run(workspace=workspace)
    at_risk = the_event(EventKind.LAUNCH_AT_RISK)
    assert (at_risk.subject_type, at_risk.subject_id) == ("launch", launch.pk)
    assert "Spring" in at_risk.message and at_risk.data["reasons"]
    assert notified(at_risk) == ids(team["pm"], team["pmm"], team["pmm2"])  # creator + team
    # The diagnosis is still an event (webhooks hear of it), but nobody told of the launch
    # hears the same thing twice.
    opened = the_event(EventKind.DIAGNOSIS_OPENED)
    assert opened.data["rule"] == "launch_at_risk" and notified(opened) == set()

    with django_capture_on_commit_callbacks(execute=True):
        launches.milestone_update(actor=team["pmm"], milestone=milestone, done=True)
        metrics.diagnostics_run(workspace=workspace)
    on_track = the_event(EventKind.LAUNCH_ON_TRACK)
    assert on_track.subject_id == launch.pk and "back on track" in on_track.message
    assert notified(on_track) == ids(team["pm"], team["pmm"], team["pmm2"])
    assert notified(the_event(EventKind.DIAGNOSIS_RESOLVED)) == set()


def test_an_objective_turning_off_track_tells_its_owners_once(
    workspace, team, django_capture_on_commit_callbacks
):
    fact(workspace, campaign(workspace, "Revenue source"), 1, revenue=1_000)
    objective = Objective.objects.create(
        workspace=workspace,
        title="Revenue",
        product_owner=team["pm"],
        marketing_owner=team["pmm"],
        period_start=day(30),
        period_end=day(30) + timedelta(days=90),
    )
    for kpi, target in (("revenue", "4000"), ("visits", "100000")):
        ObjectiveTarget.objects.create(
            workspace=workspace,
            objective=objective,
            kpi=kpi,
            target=Decimal(target),
            scope="channel",
            scope_value="email",
        )
    with django_capture_on_commit_callbacks(execute=True):
        metrics.diagnostics_run(workspace=workspace)
        metrics.diagnostics_run(workspace=workspace)  # still off track: no news
    assert Diagnosis.objects.filter(rule="kpi_off_target").count() == 2
    event = the_event(EventKind.OBJECTIVE_OFF_TRACK)  # one per objective, not per target
    assert (event.subject_type, event.subject_id) == ("objective", objective.pk)
    assert "Revenue" in event.message
    assert notified(event) == ids(team["pm"], team["pmm"])


def test_subjects_of_every_app_are_registered():
    from alignment.collaboration import subjects

    assert {"insight", "opportunity", "launch", "diagnosis"} <= set(subjects.commentable_names())
    assert subjects.get("launch_task").commentable is False
    assert subjects.get("import").model is ImportJob


def test_followers_of_the_apps_subjects(workspace, team):
    from alignment.collaboration import subjects
    from research.models import Insight
    from tests.metrics.factories import DiagnosisFactory

    launch = LaunchFactory(workspace=workspace, created_by=team["pm"])
    task = LaunchTaskFactory(workspace=workspace, launch=launch, assignee=team["pmm"])
    diagnosis = DiagnosisFactory(workspace=workspace, team="product")
    insight = Insight.objects.create(workspace=workspace, title="Slow", created_by=team["pmm"])
    job = ImportJob.objects.create(
        workspace=workspace, kind="campaign", checksum="x", created_by=team["pm"]
    )
    assert subjects.followers_of(launch) == [team["pm"].pk]
    assert subjects.followers_of(task) == [team["pmm"].pk]
    assert set(subjects.followers_of(diagnosis)) == ids(team["pm"], team["pm2"])
    assert subjects.followers_of(insight) == [team["pmm"].pk]
    assert subjects.followers_of(job) == [team["pm"].pk]
