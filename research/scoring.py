"""RICE, the one place it is defined: score = reach × impact × confidence / effort.

Impact and effort are entered by a person; reach and confidence default to what the
opportunity's evidence shows, and a person may override either one, with a reason.

Evidence is counted per *piece of evidence*, not per link: an insight and the insights
marked as its duplicates (`Insight.duplicate_of`) are one piece, named by the original's
id (`canonical` below; one level, as the duplicate link is made to the original). A
highlight of an insight is the insight's evidence too.

Reach (default, an integer, never negative):

    reach = customers for + personas + segments − customers against, floored at 0

- *customers for*: distinct customers behind the supporting evidence. A customer is the
  insight's `source` (trimmed, any case: "Acme call" and "acme call " are one), taken
  from the original when the insight is a duplicate; an insight without a source is a
  customer of its own.
- *personas*: distinct personas of the supporting insights.
- *segments*: distinct segments those personas belong to, or that the supporting insights'
  studies cover.
- *customers against*: distinct customers behind the contradicting evidence.

Confidence (default, 0–1, two decimals) is the balance of evidence, shrunk towards RICE's
"low" level (0.5) while there is little of it (Laplace's rule of succession over the
distinct pieces: `supporting` for, `contradicting` against):

    confidence = (supporting + 1) / (supporting + contradicting + 2)

0.5 with no evidence (or as much against as for), 0.67 with one piece for, 0.8 ("medium")
with three for and none against, towards 1.0 ("high") as supporting evidence piles up,
and towards 0 as contradicting evidence does.

Impact is one of RICE's levels: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.
Effort is in person-weeks, more than 0 and at most `MAX_EFFORT`. Without impact or effort
the score is null ("needs impact and effort").

`attach(opportunities)` computes all of it for many opportunities at once, in three
grouped queries whatever their number (the evidence per stance, the personas, the segments),
as prefetch_related would: the API's serializer, the pages and the ranking use it.
`RankedList(queryset)` orders a queryset by score for a paginator. `clean_input(opportunity,
data)` is the rule for what may be written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case
from django.db.models import CharField
from django.db.models import Count
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Cast
from django.db.models.functions import Coalesce
from django.db.models.functions import Concat
from django.db.models.functions import Lower
from django.db.models.functions import NullIf
from django.db.models.functions import Trim

from research.models import Evidence

IMPACT_LEVELS = {
    Decimal("3"): "Massive",
    Decimal("2"): "High",
    Decimal("1"): "Medium",
    Decimal("0.5"): "Low",
    Decimal("0.25"): "Minimal",
}
MAX_EFFORT = Decimal("1000")  # person-weeks: twenty years of one person
MAX_REACH = 1_000_000_000
NO_EVIDENCE_CONFIDENCE = 0.5
NEEDS_INPUT = "needs impact and effort"
RICE_FIELDS = ("reach", "reach_reason", "impact", "confidence", "confidence_reason", "effort")

SUPPORTING = Evidence.Stance.SUPPORTING
CONTRADICTING = Evidence.Stance.CONTRADICTING


# --- The rule in Python (what the SQL below computes) ------------------------------------


def reach_default(*, customers_for: int, personas: int, segments: int, customers_against: int):
    return max(0, customers_for + personas + segments - customers_against)


def confidence_default(*, supporting: int, contradicting: int) -> float:
    percent = (200 * (supporting + 1) + (supporting + contradicting + 2)) // (
        2 * (supporting + contradicting + 2)
    )  # rounded half up, as the SQL does it in integers
    return percent / 100


def rice_score(reach, impact, confidence, effort) -> float | None:
    if impact is None or effort is None or not effort:
        return None
    return round(float(reach) * float(impact) * float(confidence) / float(effort), 2)


# --- For many opportunities at once: three grouped queries ------------------------------


def _customer(prefix: str) -> Coalesce:
    """An insight's customer key: its trimmed lower-case source, else the insight itself."""
    return Coalesce(
        NullIf(Lower(Trim(f"{prefix}source")), Value("")),
        Concat(Value("insight#"), Cast(f"{prefix}id", CharField())),
        output_field=CharField(),
    )


CUSTOMER = Case(
    When(insight__duplicate_of__isnull=True, then=_customer("insight__")),
    default=_customer("insight__duplicate_of__"),
    output_field=CharField(),
)
CANONICAL = Coalesce("insight__duplicate_of_id", "insight_id")
PARTS = (
    "evidence_for",
    "evidence_against",
    "reach_customers",
    "reach_against",
    "reach_personas",
    "reach_segments",
)


def defaults(counts: dict[str, int]) -> tuple[int, float]:
    """(reach, confidence) the evidence gives, from evidence_counts()' PARTS."""
    reach = reach_default(
        customers_for=counts["reach_customers"],
        personas=counts["reach_personas"],
        segments=counts["reach_segments"],
        customers_against=counts["reach_against"],
    )
    confidence = confidence_default(
        supporting=counts["evidence_for"], contradicting=counts["evidence_against"]
    )
    return reach, confidence


def evidence_counts(opportunity_ids) -> dict[int, dict[str, int]]:
    """{opportunity id: the counts behind its defaults} (PARTS), in three queries whatever
    the number of opportunities. `opportunity_ids`: a list, or a queryset of ids."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PARTS, 0))
    if isinstance(opportunity_ids, list) and not opportunity_ids:
        return counts
    evidence = Evidence.objects.filter(opportunity_id__in=opportunity_ids).order_by()
    for row in evidence.values("opportunity_id", "stance").annotate(
        pieces=Count(CANONICAL, distinct=True), customers=Count(CUSTOMER, distinct=True)
    ):
        found = counts[row["opportunity_id"]]
        if row["stance"] == SUPPORTING:
            found["evidence_for"], found["reach_customers"] = row["pieces"], row["customers"]
        else:
            found["evidence_against"], found["reach_against"] = row["pieces"], row["customers"]
    supporting = evidence.filter(stance=SUPPORTING)
    for row in (
        supporting.filter(insight__personas__isnull=False)
        .values("opportunity_id")
        .annotate(n=Count("insight__personas", distinct=True))
    ):
        counts[row["opportunity_id"]]["reach_personas"] = row["n"]
    by_persona = supporting.filter(insight__personas__segments__isnull=False).values_list(
        "opportunity_id", "insight__personas__segments"
    )
    by_study = supporting.filter(insight__study__segments__isnull=False).values_list(
        "opportunity_id", "insight__study__segments"
    )
    for opportunity_id, _segment in by_persona.union(by_study):  # UNION: distinct pairs
        counts[opportunity_id]["reach_segments"] += 1
    return counts


def attach(opportunities, counts: dict | None = None) -> list:
    """Set on each opportunity the parts (PARTS), reach_default, confidence_default,
    reach_value and confidence_value (the override, else the default) and score (None
    without impact and effort). Three queries for the lot; returns them as a list."""
    opportunities = list(opportunities)
    if counts is None:
        counts = evidence_counts([opportunity.pk for opportunity in opportunities])
    for opportunity in opportunities:
        found = counts[opportunity.pk]
        for name in PARTS:
            setattr(opportunity, name, found[name])
        opportunity.reach_default, opportunity.confidence_default = defaults(found)
        opportunity.reach_value = (
            opportunity.reach if opportunity.reach is not None else opportunity.reach_default
        )
        opportunity.confidence_value = (
            float(opportunity.confidence)
            if opportunity.confidence is not None
            else opportunity.confidence_default
        )
        opportunity.score = rice_score(
            opportunity.reach_value,
            opportunity.impact,
            opportunity.confidence_value,
            opportunity.effort,
        )
    return opportunities


def is_scored(opportunity) -> bool:
    return hasattr(opportunity, "reach_default")


def rank_key(opportunity, *, descending: bool = True):
    """Best score first (or lowest, ascending); no score last either way; then title."""
    score = opportunity.score
    missing = score is None
    value = 0.0 if missing else (-score if descending else score)
    return (missing, value, opportunity.title.lower(), opportunity.pk)


class RankedList(Sequence):
    """A queryset's opportunities by score, fetched a slice (a page) at a time: the ranking
    itself reads only ids, titles and RICE inputs (one query) and the evidence counts
    (three), so a long list costs the same number of queries for any page."""

    FIELDS = ("pk", "title", "reach", "impact", "confidence", "effort")

    def __init__(self, queryset: QuerySet, *, descending: bool = True):
        self.queryset = queryset
        light = [_Row(**row) for row in queryset.values(*self.FIELDS)]
        self.counts = evidence_counts([row.pk for row in light])
        attach(light, self.counts)
        light.sort(key=lambda row: rank_key(row, descending=descending))
        self.ids = [row.pk for row in light]

    def __len__(self):
        return len(self.ids)

    def __iter__(self):  # one query for them all, not one an item
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            ids = self.ids[index]
            rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
            return attach([rows[pk] for pk in ids if pk in rows], self.counts)
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]


class _Row:
    """An opportunity's id, title and RICE inputs: enough to rank it."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


# --- What may be written -------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal("NaN")


def clean_input(opportunity, data: dict[str, Any], *, current_defaults=None) -> dict[str, Any]:
    """Check the RICE values being written (merged with what the opportunity has) and
    return the data to apply:

    - impact one of IMPACT_LEVELS, confidence 0–1, effort above 0 and at most MAX_EFFORT,
      reach at most MAX_REACH; each a 400 on its own field;
    - an override (reach, confidence) needs its reason, else a 400 on reach_reason /
      confidence_reason; clearing the override (null) clears its reason too, and the value
      falls back to the evidence default;
    - sending back the default unchanged (a GET then PUT of the effective value) is not an
      override: `current_defaults` ({"reach": int, "confidence": float} of a saved
      opportunity) says what the defaults are.
    """
    data = dict(data)
    errors: dict[str, list[str]] = {}
    for field, reason in (("reach", "reach_reason"), ("confidence", "confidence_reason")):
        if field not in data:
            continue
        if data[field] is None or data[field] == "":
            data[field] = None
            data[reason] = ""
            continue
        echo = (
            current_defaults is not None
            and getattr(opportunity, field) is None
            and _decimal(data[field]) == _decimal(current_defaults[field])
            and not (data.get(reason) or "").strip()
        )
        if echo:
            data.pop(field)  # the default sent back as it was shown: no override

    merged = {name: data.get(name, getattr(opportunity, name)) for name in RICE_FIELDS}
    impact = _decimal(merged["impact"])
    if impact is not None and impact not in IMPACT_LEVELS:
        levels = ", ".join(f"{level.normalize()}" for level in sorted(IMPACT_LEVELS))
        errors["impact"] = [f"Impact is one of {levels}."]
    confidence = _decimal(merged["confidence"])
    if confidence is not None and not (Decimal(0) <= confidence <= Decimal(1)):
        errors["confidence"] = ["Confidence is between 0 and 1."]
    effort = _decimal(merged["effort"])
    if effort is not None and not (Decimal(0) < effort <= MAX_EFFORT):
        errors["effort"] = [f"Effort is more than 0 and at most {MAX_EFFORT} person-weeks."]
    reach = _decimal(merged["reach"])
    if reach is not None and not (Decimal(0) <= reach <= MAX_REACH):
        errors["reach"] = [f"Reach is between 0 and {MAX_REACH:,}."]
    for field, reason in (("reach", "reach_reason"), ("confidence", "confidence_reason")):
        touched = field in data or reason in data
        if touched and merged[field] is not None and not (merged[reason] or "").strip():
            errors[reason] = [f"Say why you override the {field} the evidence gives."]
    if errors:
        raise ValidationError(errors)
    for reason in ("reach_reason", "confidence_reason"):
        if isinstance(data.get(reason), str):
            data[reason] = data[reason].strip()
    return data
