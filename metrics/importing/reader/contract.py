"""The import contract of DESIGN.md: each kind's fields, and how a file's header maps
onto them (a saved column mapping, or the preset of a common ad-platform export)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from metrics.importing.files import ImportFileError
from metrics.models import ImportKind


@dataclass(frozen=True)
class Contract:
    fields: tuple[str, ...]
    required: tuple[str, ...]
    date_field: str
    # The values a file may leave out: on the keys it repeats, the stored ones are kept;
    # its new keys get `blank` (the fields' own empty value).
    measures: tuple[str, ...] = ()
    blank: str = "0"


CONTRACTS = {
    ImportKind.CAMPAIGN: Contract(
        fields=(
            "date",
            "campaign",
            "channel",
            "spend",
            "impressions",
            "clicks",
            "visits",
            "leads",
            "purchases",
            "revenue",
        ),
        required=("date", "campaign", "spend"),
        date_field="date",
        measures=("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue"),
    ),
    ImportKind.USAGE: Contract(
        fields=(
            "date",
            "product",
            "feature",
            "active_users",
            "events",
            "new_users",
            "retained_users",
        ),
        required=("date", "product", "active_users"),
        date_field="date",
        measures=("active_users", "events", "new_users", "retained_users"),
    ),
    ImportKind.SURVEY: Contract(
        fields=("submitted_at", "respondent", "survey", "score", "comment", "scale"),
        required=("submitted_at", "respondent", "survey", "score"),
        date_field="submitted_at",
        measures=("comment",),
        blank="",
    ),
}

# Headers of common ad-platform exports, matched case-insensitively.
PRESETS = {
    "google_ads": {
        "label": "Google Ads",
        "kind": ImportKind.CAMPAIGN,
        "columns": {
            "day": "date",
            "campaign": "campaign",
            "cost": "spend",
            "impr.": "impressions",
            "impressions": "impressions",
            "clicks": "clicks",
            "conversions": "purchases",
            "conv. value": "revenue",
            "all conv. value": "revenue",
        },
        "defaults": {"channel": "google_ads"},
    },
    "meta_ads": {
        "label": "Meta Ads",
        "kind": ImportKind.CAMPAIGN,
        "columns": {
            "reporting starts": "date",
            "campaign name": "campaign",
            "amount spent": "spend",
            "impressions": "impressions",
            "link clicks": "clicks",
            "landing page views": "visits",
            "leads": "leads",
            "results": "purchases",
            "purchases": "purchases",
            "purchase conversion value": "revenue",
        },
        "defaults": {"channel": "meta_ads"},
    },
}


def normalise_header(name) -> str:
    text = str(name or "").replace("\ufeff", "").strip().lower()
    # "Amount spent (EUR)" -> "amount spent": currency suffixes vary by account.
    return re.sub(r"\s*\([^)]*\)$", "", text)


@dataclass
class Mapping:
    """Which column of the file feeds each contract field (None: use the default)."""

    index: dict[str, int | None]
    defaults: dict[str, str]
    preset: str = ""
    twice: list[str] = field(default_factory=list)  # mapped headers written twice

    def uncarried(self, contract: Contract) -> list[str]:
        """The measures the file does not carry: no column of its own and no default."""
        return [
            name
            for name in contract.measures
            if self.index[name] is None and name not in self.defaults
        ]


def resolve_mapping(kind: str, header: list, columns=None, defaults=None) -> Mapping:
    """Map the header onto the contract, with a saved mapping, or a matching preset."""
    contract = CONTRACTS[kind]
    normalised = [normalise_header(name) for name in header]
    mapping = _try_mapping(contract, normalised, columns or {}, defaults or {})
    missing = [name for name in contract.required if mapping.index[name] is None]
    if missing and not columns:
        for preset_name, preset in PRESETS.items():
            if preset["kind"] != kind:
                continue
            candidate = _try_mapping(contract, normalised, preset["columns"], preset["defaults"])
            if all(candidate.index[name] is not None for name in contract.required):
                _refuse_twice(candidate)
                candidate.preset = preset_name
                return candidate
    _refuse_twice(mapping)
    if missing:
        names = [name if len(name) <= 40 else name[:40] + "…" for name in normalised if name]
        found = ", ".join(names[:10]) + (
            f" and {len(names) - 10:,} more" if len(names) > 10 else ""
        )
        raise ImportFileError(
            f"This is not a {kind} file: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {found or 'nothing'})."
        )
    return mapping


def _try_mapping(contract, normalised, columns, defaults) -> Mapping:
    sources = {normalise_header(source): target for source, target in columns.items()}
    index: dict[str, int | None] = dict.fromkeys(contract.fields)
    used, twice = set(), []
    for position, name in enumerate(normalised):
        target = sources.get(name, name if name in index else None)
        if target not in index:
            continue
        if name in used:
            twice.append(name)
        used.add(name)
        if index[target] is None:
            index[target] = position
    return Mapping(index=index, defaults={k: str(v) for k, v in defaults.items()}, twice=twice)


def _refuse_twice(mapping: Mapping) -> None:
    if mapping.twice:
        raise ImportFileError(
            f"The header names the column {mapping.twice[0]} twice: keep one of them."
        )
