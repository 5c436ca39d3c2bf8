"""Demo data for the metrics app: 180 days of campaign, usage and survey data.

Generated, not random from run to run: every value is a function of its date, so running
`seed_demo` twice on one day imports identical files (the checksum shortcut: nothing
changes), and a run on a later day only adds the new days. The patterns are the ones the
dashboards should make visible: weekday/weekend seasonality, a launch bump around the
"Cohort retention" release, a campaign that brings traffic but no conversions.

What is named (the campaigns with their budgets, the product's features, the surveys) lives
in `data.json` next to this module; the shape of the numbers is generated here.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from datetime import date
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile

from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics import services
from metrics.importing.reader import CONTRACTS
from metrics.models import ImportJob
from metrics.models import ImportKind

DATA_FILE = Path(__file__).with_name("data.json")


@cache
def load_data() -> dict:
    """The demo content, read once per process (it is the same for every workspace)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


DAYS = 180
WEEKDAY_FACTOR = (1.1, 1.15, 1.12, 1.08, 1.0, 0.65, 0.6)
LAUNCH_OFFSET = 120  # Cohort retention's release: usage and traffic bump around it


def _rng(day: date, salt: str) -> random.Random:
    return random.Random(f"{day.toordinal()}:{salt}")  # noqa: S311 - demo data, not secrets


def _bump(offset: int) -> float:
    """A launch bump peaking a few days after the release, fading over three weeks."""
    distance = LAUNCH_OFFSET - offset
    return 1.0 + (0.8 * math.exp(-((distance - 4) ** 2) / 60.0) if -10 < distance < 40 else 0)


def _csv(kind: str, rows) -> bytes:
    """A file of `kind` as the import reads it: its contract's columns, in their order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CONTRACTS[kind].fields)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def campaign_file(today: date) -> bytes:
    rows = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        season = WEEKDAY_FACTOR[day.weekday()] * _bump(offset)
        for campaign in load_data()["campaigns"]:
            if not campaign["last_days_ago"] <= offset <= campaign["first_days_ago"]:
                continue
            rng = _rng(day, campaign["name"])
            revenue_factor = campaign["revenue_factor"]
            spend = campaign["daily_budget"] * (0.85 + 0.3 * rng.random())
            impressions = int(spend * rng.uniform(40, 60) * season)
            clicks = int(impressions * rng.uniform(0.015, 0.03))
            visits = int(clicks * rng.uniform(0.8, 0.95))
            leads = int(visits * rng.uniform(0.05, 0.1))
            purchases = int(visits * rng.uniform(0.01, 0.03) * min(revenue_factor, 1.5))
            revenue = spend * revenue_factor * rng.uniform(0.8, 1.2) * season
            rows.append(
                [
                    day.isoformat(),
                    campaign["name"],
                    campaign["channel"],
                    f"{spend:.2f}",
                    impressions,
                    clicks,
                    visits,
                    leads,
                    purchases,
                    f"{revenue:.2f}",
                ]
            )
    return _csv(ImportKind.CAMPAIGN, rows)


def usage_file(today: date) -> bytes:
    product = load_data()["product"]
    rows = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        growth = 1 + (DAYS - offset) / DAYS * 0.4
        active = int(2400 * growth * WEEKDAY_FACTOR[day.weekday()] * _bump(offset) * 0.9)
        rng = _rng(day, "usage")
        rows.append(
            [
                day.isoformat(),
                product,
                "",
                active,
                active * 18,
                int(active * 0.04),
                int(active * rng.uniform(0.55, 0.65)),
            ]
        )
        for feature in load_data()["features"]:
            start = feature["first_days_ago"]
            if offset > start:
                continue
            ramp = min(1.0, (start - offset + 1) / 21)
            users = int(active * feature["share"] * ramp * rng.uniform(0.9, 1.1))
            rows.append(
                [
                    day.isoformat(),
                    product,
                    feature["name"],
                    users,
                    users * 6,
                    int(users * 0.05),
                    int(users * rng.uniform(0.4, 0.6)),
                ]
            )
    return _csv(ImportKind.USAGE, rows)


def survey_file(today: date) -> bytes:
    surveys = load_data()["surveys"]
    rows = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        rng = _rng(day, "survey")
        for n in range(rng.randint(2, 7)):
            better = 1 if offset < LAUNCH_OFFSET else 0  # scores improve after the launch
            score = min(10, max(0, int(rng.gauss(7.4 + better, 1.8))))
            rows.append(
                [
                    f"{day.isoformat()}T{9 + n:02d}:00:00Z",
                    f"user-{rng.randint(1, 900)}-{n}",
                    surveys["nps"],
                    score,
                    "",
                    "nps",
                ]
            )
        if offset % 2 == 0:
            score = min(5, max(1, int(rng.gauss(4.1, 0.8))))
            rows.append(
                [
                    f"{day.isoformat()}T17:00:00Z",
                    f"ticket-{day.toordinal()}",
                    surveys["csat"],
                    score,
                    "",
                    "csat",
                ]
            )
    return _csv(ImportKind.SURVEY, rows)


def seed(workspace, today: date | None = None) -> None:
    """Load the demo data through the import pipeline itself; idempotent."""
    today = today or date.today()
    for kind, build in (
        (ImportKind.CAMPAIGN, campaign_file),
        (ImportKind.USAGE, usage_file),
        (ImportKind.SURVEY, survey_file),
    ):
        job = services.import_job_create(
            actor=None,
            workspace=workspace,
            kind=kind,
            file=ContentFile(build(today), name=f"demo-{kind}.csv"),
            source=ImportJob.Source.COMMAND,
            enqueue=False,
        )
        services.import_job_run(job=job)
    data = load_data()
    product = Product.objects.in_workspace(workspace).filter(name__iexact=data["product"]).first()
    campaigns = Campaign.objects.in_workspace(workspace)
    for spec in data["campaigns"]:
        campaign = campaigns.filter(name__iexact=spec["name"]).first()
        if campaign is None or not spec["feature"] or product is None:
            continue
        feature = Feature.objects.filter(product=product, name__iexact=spec["feature"]).first()
        if feature is not None and not campaign.features.filter(pk=feature.pk).exists():
            campaign.features.add(feature)
    services.dashboard_recompute(workspace=workspace)
    # The demo's patterns (traffic without sales, a display campaign losing money, ...)
    # show up as diagnoses; a second run updates them and adds none.
    services.diagnostics_run(workspace=workspace)
