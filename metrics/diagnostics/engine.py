"""Runs the rules and files their findings.

- A finding whose (rule, subject) already has a live diagnosis updates it (evidence,
  severity, message): one diagnosis per problem, however many runs see it.
- A live (open or acknowledged) diagnosis that no rule finding backs any more is resolved.
- A dismissed diagnosis stays dismissed while the problem stays as bad as it was when it
  was dismissed; if its level grows by more than WORSE_BY (or its severity rises), it is
  reopened.
- The open and acknowledged diagnoses' summary goes into DashboardSnapshot.data
  ["diagnostics"], the list the dashboard renders.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from alignment.models import Workspace
from metrics.diagnostics import RULES
from metrics.diagnostics.base import Context, Finding
from metrics.locks import workspace_lock
from metrics.models import DashboardSnapshot, Diagnosis, DiagnosticSettings

logger = logging.getLogger(__name__)

WORSE_BY = 0.10  # a dismissed diagnosis returns when its level grows by more than this share
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
CONTENT_FIELDS = [
    "state",
    "dismissed_level",
    "severity",
    "team",
    "informed_team",
    "subject_label",
    "evidence",
    "level",
    "message",
    "next_step",
    "link",
]


@dataclass
class RunResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def settings_for(workspace: Workspace) -> DiagnosticSettings:
    settings, _ = DiagnosticSettings.objects.get_or_create(workspace=workspace)
    return settings


def make_context(workspace: Workspace, today: date | None = None) -> Context:
    from metrics.selectors import latest_fact_date

    today = today or timezone.localdate()
    as_of = latest_fact_date(workspace=workspace) or today
    return Context(
        workspace=workspace, settings=settings_for(workspace), today=today, as_of=min(as_of, today)
    )


def find_all(context: Context, rules=None) -> dict[str, list[Finding]]:
    found = {}
    for name, rule in RULES.items():
        if rules and name not in rules:
            continue
        started = time.monotonic()
        found[name] = rule.find(context)
        context.timings[name] = round(time.monotonic() - started, 4)
    return found


def is_worse(diagnosis: Diagnosis, finding: Finding) -> bool:
    if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(diagnosis.severity, 0):
        return True
    before = diagnosis.dismissed_level
    if before is None:
        return False
    return finding.level > before + WORSE_BY * abs(before) + 1e-9


def _apply(diagnosis: Diagnosis, rule, finding: Finding, now) -> None:
    diagnosis.team = finding.team or rule.team
    diagnosis.informed_team = finding.informed if finding.informed is not None else rule.informed
    diagnosis.subject_label = finding.subject_label[:200]
    diagnosis.evidence = finding.evidence
    diagnosis.level = finding.level
    diagnosis.message = finding.message
    diagnosis.next_step = finding.next_step
    diagnosis.link = finding.link[:300]
    diagnosis.last_seen_at = now


def diagnostics_run(*, workspace: Workspace, today: date | None = None, rules=None) -> RunResult:
    """Run every rule (or the named ones) for the workspace and file what they find."""
    context = make_context(workspace, today)
    found = find_all(context, rules)
    result = RunResult(timings=context.timings)
    now = timezone.now()
    with workspace_lock("diagnostics", workspace.pk):
        existing = {
            (d.rule, d.subject_type, d.subject_id, d.subject_key): d
            for d in Diagnosis.objects.in_workspace(workspace)
            .filter(rule__in=list(found), state__in=[*Diagnosis.LIVE, Diagnosis.State.DISMISSED])
            .select_for_update()
        }
        seen = set()
        changed: list[Diagnosis] = []
        still: list[int] = []
        for name, findings in found.items():
            rule = RULES[name]
            for finding in findings:
                key = (name, *finding.key)
                if key in seen:
                    continue
                seen.add(key)
                diagnosis = existing.get(key)
                if diagnosis is None:
                    diagnosis = Diagnosis(
                        workspace=workspace,
                        rule=name,
                        subject_type=finding.subject_type,
                        subject_id=finding.subject_id,
                        subject_key=finding.subject_key,
                        severity=finding.severity,
                        detected_at=now,
                    )
                    _apply(diagnosis, rule, finding, now)
                    diagnosis.save()
                    result.created.append(diagnosis.pk)
                    continue
                before = [getattr(diagnosis, name) for name in CONTENT_FIELDS]
                if diagnosis.state == Diagnosis.State.DISMISSED and is_worse(diagnosis, finding):
                    diagnosis.state = Diagnosis.State.OPEN
                    diagnosis.dismissed_level = None
                    result.reopened.append(diagnosis.pk)
                else:
                    result.updated.append(diagnosis.pk)
                if diagnosis.state != Diagnosis.State.DISMISSED:
                    # A dismissed one keeps the severity it was dismissed at (see is_worse).
                    diagnosis.severity = finding.severity
                _apply(diagnosis, rule, finding, now)
                still.append(diagnosis.pk)
                if [getattr(diagnosis, name) for name in CONTENT_FIELDS] != before:
                    diagnosis.updated_at = now
                    changed.append(diagnosis)
        # Unchanged ones only get seen again (one UPDATE); changed ones are written in
        # batches, never one query per diagnosis: a large workspace has hundreds live.
        Diagnosis.objects.filter(pk__in=still).update(last_seen_at=now)
        Diagnosis.objects.bulk_update(changed, CONTENT_FIELDS + ["updated_at"], batch_size=200)
        gone = [
            d.pk for key, d in existing.items() if key not in seen and d.state in Diagnosis.LIVE
        ]
        if gone:
            Diagnosis.objects.filter(pk__in=gone).update(
                state=Diagnosis.State.RESOLVED, resolved_at=now, updated_at=now
            )
        result.resolved = gone
    snapshot_write(workspace=workspace)
    return result


def snapshot_summary(workspace: Workspace) -> list[dict]:
    rows = (
        Diagnosis.objects.in_workspace(workspace)
        .filter(state__in=Diagnosis.LIVE)
        .values("id", "rule", "severity", "team", "subject_type", "subject_id", "message", "link")
    )
    return sorted(
        rows, key=lambda row: (Diagnosis.SEVERITY_ORDER.get(row["severity"], 9), -row["id"])
    )


def snapshot_write(*, workspace: Workspace) -> None:
    """Put the live diagnoses into the dashboard snapshot (under the dashboard's lock, so a
    recompute running at the same time cannot overwrite them with an older list)."""
    with workspace_lock("dashboard", workspace.pk):
        snapshot, _ = DashboardSnapshot.objects.select_for_update().get_or_create(
            workspace=workspace
        )
        data = dict(snapshot.data or {})
        data["diagnostics"] = snapshot_summary(workspace)
        snapshot.data = data
        snapshot.save(update_fields=["data"])
