"""Runs the rules and files their findings.

- Findings of several rules about one subject, over overlapping windows, for the same
  underlying change fold into the most specific one (`fold`, registry SPECIFICITY): one
  diagnosis, the others stored on it as `evidence["supporting"]`. A live diagnosis of a
  rule that now folds is resolved into the one it folds into (its feedback carried over).
- A finding whose (rule, subject) already has a live diagnosis updates it (evidence,
  severity, message): one diagnosis per problem, however many runs see it.
- A live (open or acknowledged) diagnosis that no rule finding backs any more is resolved.
- A dismissed diagnosis stays dismissed while the problem stays as bad as it was when it
  was dismissed; if its level grows by more than WORSE_BY (or its severity rises), it is
  reopened.
- The open and acknowledged diagnoses' summary goes into DashboardSnapshot.data
  ["diagnostics"], the list the dashboard renders (`snapshot.snapshot_write`).
- Each diagnosis that opens (new, or a dismissed one reopened) or resolves is an event
  (diagnosis.opened, diagnosis.resolved) to its team's members, recorded in the run's
  transaction (`events.tell`); one folded into another is not news. Two rules' diagnoses
  also tell of their subject: see `events.tell`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date

from django.utils import timezone

from alignment.locks import workspace_lock
from alignment.models import Workspace
from metrics.diagnostics import RULES
from metrics.diagnostics import SPECIFICITY
from metrics.diagnostics.base import Context
from metrics.diagnostics.base import Finding
from metrics.diagnostics.base import overlaps
from metrics.diagnostics.events import tell
from metrics.diagnostics.snapshot import snapshot_write
from metrics.models import Diagnosis
from metrics.models import DiagnosticSettings

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
    folded: list[int] = field(default_factory=list)  # resolved into another diagnosis
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


@dataclass
class Group:
    """One diagnosis to file: the most specific rule's finding and those folded into it."""

    rule: str
    finding: Finding
    folded: list[tuple[str, Finding]] = field(default_factory=list)

    @property
    def severity(self) -> str:
        severities = [self.finding.severity, *(f.severity for _, f in self.folded)]
        return max(severities, key=lambda s: SEVERITY_RANK[s])

    def evidence(self) -> dict:
        evidence = dict(self.finding.evidence)
        if self.folded:
            evidence["supporting"] = [
                {
                    "rule": name,
                    "label": RULES[name].label,
                    "severity": finding.severity,
                    "message": finding.message,
                    "next_step": finding.next_step,
                    "evidence": finding.evidence,
                }
                for name, finding in self.folded
            ]
        return evidence


def _subject(finding: Finding) -> tuple:
    # subject_key tells apart subjects without an id (channels); for one with an id it
    # tells apart findings about it, which may still be one change.
    key = finding.subject_key if not finding.subject_id else ""
    return (finding.subject_type, finding.subject_id, key)


def fold(found: dict[str, list[Finding]]) -> list[Group]:
    """The findings as the diagnoses to file: a finding with a `change` folds into a
    more specific rule's finding (SPECIFICITY) about the same subject with the same change
    over an overlapping window; every other finding stands alone."""
    order = {name: index for index, name in enumerate(SPECIFICITY)}
    groups: list[Group] = []
    hosts: dict[tuple, list[Group]] = defaultdict(list)
    placed: dict[tuple, Group] = {}  # (subject, change) -> the group its finding went to
    explained = []
    for name in sorted(found, key=lambda name: order.get(name, len(order))):
        for finding in found[name]:
            if finding.within is not None and finding.change:
                explained.append((name, finding))
                continue
            host = None
            if finding.change:
                host = next(
                    (
                        group
                        for group in hosts[(_subject(finding), finding.change)]
                        if group.rule != name and overlaps(group.finding.window, finding.window)
                    ),
                    None,
                )
            if host is not None:
                host.folded.append((name, finding))
                placed.setdefault((_subject(finding), finding.change), host)
                continue
            group = Group(rule=name, finding=finding)
            groups.append(group)
            if finding.change:
                hosts[(_subject(finding), finding.change)].append(group)
                placed.setdefault((_subject(finding), finding.change), group)
    # A wider subject's finding explained by a narrower one (a channel's drop by one
    # campaign's) joins the diagnosis that finding went to; filed alone if there is none.
    for name, finding in explained:  # narrower first: a channel's before the workspace's
        host = placed.get((finding.within, finding.change))
        if host is not None:
            host.folded.append((name, finding))
        else:
            host = Group(rule=name, finding=finding)
            groups.append(host)
        placed.setdefault((_subject(finding), finding.change), host)
    return groups


def is_worse(diagnosis: Diagnosis, finding: Finding) -> bool:
    if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(diagnosis.severity, 0):
        return True
    before = diagnosis.dismissed_level
    if before is None:
        return False
    return finding.level > before + WORSE_BY * abs(before) + 1e-9


def _apply(diagnosis: Diagnosis, rule, group: Group, now) -> None:
    finding = group.finding
    diagnosis.team = finding.team or rule.team
    diagnosis.informed_team = finding.informed if finding.informed is not None else rule.informed
    diagnosis.subject_label = finding.subject_label[:200]
    diagnosis.evidence = group.evidence()
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
        for diagnosis in existing.values():
            diagnosis.workspace = workspace  # its link needs the slug: no query each
        was_live = {key for key, d in existing.items() if d.state in Diagnosis.LIVE}
        opened: list[tuple[Diagnosis, bool]] = []  # (diagnosis, reopened)
        seen = set()
        changed: list[Diagnosis] = []
        still: list[int] = []
        merges: list[tuple[Diagnosis, Diagnosis]] = []  # (folded live diagnosis, its host)
        for group in fold(found):
            name, finding = group.rule, group.finding
            rule = RULES[name]
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
                    severity=group.severity,
                    detected_at=now,
                )
                _apply(diagnosis, rule, group, now)
                diagnosis.save()
                result.created.append(diagnosis.pk)
                opened.append((diagnosis, False))
            else:
                before = [getattr(diagnosis, name) for name in CONTENT_FIELDS]
                worse = diagnosis.state == Diagnosis.State.DISMISSED and is_worse(
                    diagnosis, replace(finding, severity=group.severity)
                )
                if worse:
                    diagnosis.state = Diagnosis.State.OPEN
                    diagnosis.dismissed_level = None
                    result.reopened.append(diagnosis.pk)
                    opened.append((diagnosis, True))
                else:
                    result.updated.append(diagnosis.pk)
                if diagnosis.state != Diagnosis.State.DISMISSED:
                    # A dismissed one keeps the severity it was dismissed at (see is_worse).
                    diagnosis.severity = group.severity
                _apply(diagnosis, rule, group, now)
                still.append(diagnosis.pk)
                if [getattr(diagnosis, name) for name in CONTENT_FIELDS] != before:
                    diagnosis.updated_at = now
                    changed.append(diagnosis)
            for other_name, other in group.folded:
                folded = existing.get((other_name, *other.key))
                if folded is not None and folded.state in Diagnosis.LIVE:
                    merges.append((folded, diagnosis))
        # Unchanged ones only get seen again (one UPDATE); changed ones are written in
        # batches, never one query per diagnosis: a large workspace has hundreds live.
        Diagnosis.objects.filter(pk__in=still).update(last_seen_at=now)
        Diagnosis.objects.bulk_update(changed, CONTENT_FIELDS + ["updated_at"], batch_size=200)
        result.folded = _merge(merges, now)
        gone = [
            d.pk
            for key, d in existing.items()
            if key not in seen and d.state in Diagnosis.LIVE and d.pk not in result.folded
        ]
        if gone:
            Diagnosis.objects.filter(pk__in=gone).update(
                state=Diagnosis.State.RESOLVED, resolved_at=now, updated_at=now
            )
        result.resolved = gone
        gone_ids = set(gone)
        resolved = [d for d in existing.values() if d.pk in gone_ids]
        for diagnosis in resolved:
            diagnosis.state = Diagnosis.State.RESOLVED
        tell(workspace, opened=opened, resolved=resolved, was_live=was_live)
    snapshot_write(workspace=workspace)
    return result


def _merge(merges: list[tuple[Diagnosis, Diagnosis]], now) -> list[int]:
    """Resolve live diagnoses that now fold into another one: the host takes over the
    feedback already sent and, when it is new this run, the acknowledgement, so nobody
    sends or acknowledges the same problem twice."""
    resolved = []
    for folded, host in merges:
        host_fields = []
        if folded.feedback_id and not host.feedback_id:
            host.feedback_id = folded.feedback_id
            host_fields.append("feedback_id")
        acknowledged = folded.state == Diagnosis.State.ACKNOWLEDGED
        if acknowledged and host.detected_at == now and host.state == Diagnosis.State.OPEN:
            host.state = Diagnosis.State.ACKNOWLEDGED
            host.state_changed_by_id = folded.state_changed_by_id
            host.reason = folded.reason
            host_fields += ["state", "state_changed_by", "reason"]
        if host_fields:
            host.save(update_fields=host_fields)
        folded.state = Diagnosis.State.RESOLVED
        folded.resolved_at = now
        folded.updated_at = now
        folded.reason = (
            f"Folded into diagnosis #{host.pk} ({host.rule_label}): the same change, "
            f"shown there as supporting evidence."
        )
        folded.evidence = {**folded.evidence, "folded_into": host.pk}
        folded.save(update_fields=["state", "resolved_at", "updated_at", "reason", "evidence"])
        resolved.append(folded.pk)
    return resolved
