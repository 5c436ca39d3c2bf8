"""Writes of diagnostics: running the rules, acknowledging and dismissing, turning a
diagnosis into feedback for the other team, the settings, and the daily digest.

The rules and the engine that files their findings live in metrics/diagnostics/.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from alignment.messaging.models import Feedback
from alignment.messaging.services import feedback_create
from alignment.models import Membership
from alignment.models import Workspace
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import team_for_role
from metrics.diagnostics import RULES
from metrics.diagnostics.engine import RunResult
from metrics.diagnostics.engine import diagnostics_run as _engine_run
from metrics.models import Diagnosis
from metrics.models import DiagnosticDigest
from metrics.models import DiagnosticSettings

SETTINGS_FIELDS = [
    field.name
    for field in DiagnosticSettings._meta.get_fields()
    if field.concrete and field.name not in ("id", "workspace")
]
OTHER_TEAM = {"product": "marketing", "marketing": "product"}


def diagnostics_run(*, workspace: Workspace, today: date | None = None) -> RunResult:
    """Run all rules for the workspace; file, update and resolve diagnoses."""
    return _engine_run(workspace=workspace, today=today)


@transaction.atomic
def diagnosis_set_state(*, actor, diagnosis: Diagnosis, state: str, reason: str = "") -> Diagnosis:
    """open -> acknowledged or dismissed; acknowledged -> dismissed. Dismissing needs a
    reason and remembers how bad it was, so only a worse return reopens it."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    allowed = {
        Diagnosis.State.OPEN: {Diagnosis.State.ACKNOWLEDGED, Diagnosis.State.DISMISSED},
        Diagnosis.State.ACKNOWLEDGED: {Diagnosis.State.DISMISSED},
    }.get(diagnosis.state, set())
    if state not in (Diagnosis.State.ACKNOWLEDGED, Diagnosis.State.DISMISSED):
        raise ValidationError({"state": ["Choose acknowledged or dismissed."]})
    if state not in allowed:
        raise ValidationError(
            {"state": [f"A diagnosis that is {diagnosis.state} cannot become {state}."]}
        )
    reason = (reason or "").strip()
    if state == Diagnosis.State.DISMISSED:
        if not reason:
            raise ValidationError({"reason": ["Say why this diagnosis is dismissed."]})
        diagnosis.dismissed_level = diagnosis.level
    diagnosis.state = state
    diagnosis.reason = reason
    diagnosis.state_changed_by = actor
    diagnosis.full_clean()
    diagnosis.save()
    return diagnosis


def _actor_team(actor, workspace_id: int) -> str:
    membership = Membership.objects.filter(user=actor, workspace_id=workspace_id).first()
    return team_for_role(membership.role) if membership else ""


@transaction.atomic
def diagnosis_to_feedback(*, actor, diagnosis: Diagnosis) -> Feedback:
    """One click: a feedback item about the diagnosis's subject for the other team.

    The feedback goes to the team the diagnosis is handed to, unless the sender is on that
    team, in which case it goes to the team kept informed. Sending twice returns the same
    feedback. The diagnosis becomes acknowledged.
    """
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if diagnosis.feedback_id:
        existing = Feedback.objects.filter(
            pk=diagnosis.feedback_id, workspace_id=diagnosis.workspace_id
        ).first()
        if existing is not None:
            return existing
    if diagnosis.subject_type not in Feedback.SubjectType.values:
        raise ValidationError(
            {"subject_type": ["Only a campaign, feature or launch diagnosis can become feedback."]}
        )
    teams = dict(WORK_TEAM_CHOICES)
    sender = _actor_team(actor, diagnosis.workspace_id)
    to_team = diagnosis.team
    if sender == to_team:
        to_team = diagnosis.informed_team or OTHER_TEAM.get(sender, "")
    if sender not in teams:  # an admin speaks for the team kept informed
        sender = diagnosis.informed_team or OTHER_TEAM.get(to_team, "")
    if to_team not in teams or sender not in teams or sender == to_team:
        raise ValidationError({"team": ["There is no other team to send this diagnosis to."]})
    rule = RULES.get(diagnosis.rule)
    title = f"{rule.label if rule else diagnosis.rule}: {diagnosis.subject_label}"
    body = f"{diagnosis.message}\n\nSuggested next step: {diagnosis.next_step}"
    feedback = feedback_create(
        actor=actor,
        workspace=diagnosis.workspace,
        from_team=sender,
        to_team=to_team,
        subject_type=diagnosis.subject_type,
        subject_id=diagnosis.subject_id,
        title=title[:200],
        body=body,
    )
    diagnosis.feedback_id = feedback.pk
    if diagnosis.state == Diagnosis.State.OPEN:
        diagnosis.state = Diagnosis.State.ACKNOWLEDGED
        diagnosis.state_changed_by = actor
        diagnosis.reason = f"Sent to {to_team} as feedback."
    diagnosis.save()
    return feedback


@transaction.atomic
def diagnosticsettings_update(
    *, actor, diagnosticsettings: DiagnosticSettings, **data
) -> DiagnosticSettings:
    for name, value in data.items():
        if name in SETTINGS_FIELDS:
            setattr(diagnosticsettings, name, value)
    diagnosticsettings.full_clean()
    diagnosticsettings.save()
    return diagnosticsettings


# --- The daily digest ----------------------------------------------------------------------


def diagnostics_digest_send(*, workspace: Workspace, team: str, today: date | None = None) -> int:
    """Mail the team's members its live diagnoses, at most once a day per team (a digest
    row claims the day, so a rerun or a second worker sends nothing). The claim commits only
    with the send: a mail server that refuses or cannot be reached raises and leaves the day
    unclaimed for the task's retry. Returns the number of diagnoses mailed (0 when nothing
    was sent)."""
    today = today or timezone.localdate()
    diagnoses = list(
        Diagnosis.objects.in_workspace(workspace)
        .filter(team=team, state__in=Diagnosis.LIVE)
        .order_by("severity", "-detected_at")
    )
    diagnoses.sort(key=lambda d: (Diagnosis.SEVERITY_ORDER.get(d.severity, 9), -d.pk))
    roles = [role for role, role_team in _role_teams().items() if role_team == team]
    recipients = list(
        Membership.objects.filter(workspace=workspace, role__in=roles)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not diagnoses or not recipients:
        return 0
    base = settings.EMAIL_LINK_BASE_URL.rstrip("/")
    context = {"workspace": workspace, "team": team, "diagnoses": diagnoses, "base": base}
    with transaction.atomic():
        try:
            with transaction.atomic():
                DiagnosticDigest.objects.create(
                    workspace=workspace, team=team, sent_on=today, diagnosis_count=len(diagnoses)
                )
        except IntegrityError:
            return 0  # already sent today
        send_mail(
            subject=f"[{workspace.name}] {len(diagnoses)} open diagnoses for {team}",
            message=render_to_string("metrics/email/diagnostics_digest.txt", context),
            from_email=None,
            recipient_list=sorted(set(recipients)),
        )
    return len(diagnoses)


def _role_teams() -> dict[str, str]:
    from alignment.models import Role

    return {role: team_for_role(role) for role in Role.values}
