"""Who hears of what a diagnostics run changed: one event per diagnosis opened or resolved,
to its team's members, recorded in the run's transaction (`tell`, called by
`engine.diagnostics_run`). Two rules' diagnoses also tell of their subject: a launch at
risk or back on track, an objective off track (see `tell`).
"""

from __future__ import annotations

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.recipients import team_member_ids
from alignment.collaboration.services.events import event_record
from alignment.models import Workspace
from metrics.models import Diagnosis


def tell(workspace: Workspace, *, opened, resolved, was_live) -> None:
    """Record, in the run's transaction, one event per diagnosis opened or resolved, to the
    members of its team (each team's members read once per run).

    Two rules' diagnoses are also the stored state of their subject, so their transitions
    tell of it (no other record of these states exists to compare a run with):
    - launch_at_risk (one diagnosis per launch, built on launches' own health): opening
      is launch.at_risk, resolving launch.on_track, with the launch as subject, to its
      creator and the members of the team holding it up (the diagnosis's team).
    - kpi_off_target (one diagnosis per objective target): the first live one of an
      objective is objective.off_track, to its product and marketing owners; another
      target going off track, or the same one staying so, tells nothing new. Nothing is
      said when it is back on track (no such kind).
    Members told by one of those events are not told the same again by diagnosis.opened or
    diagnosis.resolved (the event is still recorded: webhooks hear of every diagnosis).
    `opened`: (diagnosis, reopened) pairs; `was_live`: the keys of the diagnoses live
    before this run."""
    members: dict[str, list[int]] = {}

    def team_of(diagnosis: Diagnosis) -> list[int]:
        if diagnosis.team not in members:
            members[diagnosis.team] = team_member_ids(workspace.pk, diagnosis.team)
        return members[diagnosis.team]

    opened_diagnoses = [diagnosis for diagnosis, _ in opened]
    told = _tell_launches(workspace, opened_diagnoses, resolved, team_of)
    told.update(_tell_objectives(workspace, opened_diagnoses, was_live))

    def untold(diagnosis: Diagnosis) -> list[int]:
        already = told.get(diagnosis.pk, set())
        return [pk for pk in team_of(diagnosis) if pk not in already]

    for diagnosis, reopened in opened:
        event_record(
            workspace=workspace,
            kind=EventKind.DIAGNOSIS_OPENED,
            subject=diagnosis,
            recipients=untold(diagnosis),
            message=f"{'Reopened: ' if reopened else ''}{diagnosis.rule_label}: "
            f"{diagnosis.message}",
            data=_data(diagnosis, reopened=reopened),
        )
    for diagnosis in resolved:
        event_record(
            workspace=workspace,
            kind=EventKind.DIAGNOSIS_RESOLVED,
            subject=diagnosis,
            recipients=untold(diagnosis),
            message=f"Resolved: {diagnosis.rule_label}: "
            f"{diagnosis.subject_label or diagnosis.subject_id} is no longer found.",
            data=_data(diagnosis),
        )


def _data(diagnosis: Diagnosis, **more) -> dict:
    return {
        "rule": diagnosis.rule,
        "severity": diagnosis.severity,
        "team": diagnosis.team,
        "subject_type": diagnosis.subject_type,
        "subject_id": diagnosis.subject_id,
        **more,
    }


def _tell_launches(workspace: Workspace, opened, resolved, team_of) -> dict[int, set[int]]:
    """launch.at_risk / launch.on_track; {diagnosis id: the members it went to}."""
    from launches.models import Launch

    told: dict[int, set[int]] = {}
    changes = [
        (diagnosis, at_risk)
        for at_risk, diagnoses in ((True, opened), (False, resolved))
        for diagnosis in diagnoses
        if diagnosis.rule == "launch_at_risk"
    ]
    if not changes:
        return told
    launches = Launch.objects.in_workspace(workspace).in_bulk(
        [diagnosis.subject_id for diagnosis, _ in changes]
    )
    for diagnosis, at_risk in changes:
        launch = launches.get(diagnosis.subject_id)
        if launch is None:
            continue  # deleted since
        launch.workspace = workspace
        recipients = [launch.created_by_id, *team_of(diagnosis)]
        told[diagnosis.pk] = {pk for pk in recipients if pk}
        event_record(
            workspace=workspace,
            kind=EventKind.LAUNCH_AT_RISK if at_risk else EventKind.LAUNCH_ON_TRACK,
            subject=launch,
            recipients=recipients,
            message=(
                diagnosis.message
                if at_risk
                else f"“{launch.name}” is back on track for {launch.launch_date:%b %-d}."
            ),
            data={
                "diagnosis": diagnosis.pk,
                "launch_date": launch.launch_date.isoformat(),
                "reasons": diagnosis.evidence.get("reasons", []) if at_risk else [],
            },
        )
    return told


def _tell_objectives(workspace: Workspace, opened, was_live) -> dict[int, set[int]]:
    """objective.off_track; {diagnosis id: the members it went to}."""
    from alignment.messaging.models import Objective

    told: dict[int, set[int]] = {}
    rule = "kpi_off_target"
    before = {key[2] for key in was_live if key[0] == rule}
    first: dict[int, Diagnosis] = {}
    for diagnosis in opened:
        if diagnosis.rule == rule and diagnosis.subject_id not in before:
            first.setdefault(diagnosis.subject_id, diagnosis)
    if not first:
        return told
    objectives = Objective.objects.in_workspace(workspace).in_bulk(list(first))
    for objective_id, diagnosis in first.items():
        objective = objectives.get(objective_id)
        if objective is None:
            continue
        objective.workspace = workspace
        recipients = [objective.product_owner_id, objective.marketing_owner_id]
        told[diagnosis.pk] = {pk for pk in recipients if pk}
        event_record(
            workspace=workspace,
            kind=EventKind.OBJECTIVE_OFF_TRACK,
            subject=objective,
            recipients=recipients,
            message=diagnosis.message,
            data={
                "diagnosis": diagnosis.pk,
                "kpi": diagnosis.evidence.get("kpi", ""),
                "target_id": diagnosis.evidence.get("target_id"),
            },
        )
    return told
