"""Imports end to end through the real pipeline (on the database the run uses: SQLite by
default, PostgreSQL in CI), plus column mappings and the dashboard snapshot."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics import services
from metrics.models import CampaignMetric
from metrics.models import ImportJob
from metrics.models import SurveyResponse
from metrics.models import UsageMetric
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import SURVEY_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import errors_of
from tests.metrics.helpers import import_job
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db
Status = ImportJob.Status


def test_good_rows_land_and_unknown_campaigns_are_created(workspace, campaign_csv):
    Campaign.objects.create(workspace=workspace, name="BRAND")  # reused, any case
    job = run_import(workspace, "campaign", campaign_csv)
    assert job.status == Status.SUCCEEDED
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (3, 3, 0)
    assert job.created_dimensions == {"campaigns": ["Spring Sale"]}
    assert job.progress == 100
    assert (str(job.date_from), str(job.date_to)) == ("2024-03-01", "2024-03-02")
    spring = Campaign.objects.get(workspace=workspace, name="Spring Sale")
    assert spring.channel == "email"
    row = CampaignMetric.objects.get(campaign=spring, date="2024-03-01")
    assert (row.spend, row.visits, row.purchases, row.revenue) == (
        Decimal("100.00"),
        40,
        4,
        Decimal("300.00"),
    )
    assert row.workspace_id == workspace.pk and row.import_job_id == job.pk
    assert Campaign.objects.filter(workspace=workspace).count() == 2


def test_bad_rows_are_rejected_with_line_column_reason(workspace):
    data = csv_bytes(
        CAMPAIGN_HEADER,
        "2024-03-01,Good,email,1,1,1,1,1,1,1",
        "2024-02-30,Bad date,email,1,1,1,1,1,1,1",
        "2024-03-01,Text,email,1,lots,1,1,1,1,1",
        "2024-03-01,Negative,email,1,1,-4,1,1,1,1",
        "2024-03-01,,email,1,1,1,1,1,1,1",
        "2024-03-01,=cmd|' /C calc'!A0,email,x,1,1,1,1,1,1",
    )
    job = run_import(workspace, "campaign", data)
    assert job.status == Status.SUCCEEDED_WITH_ERRORS
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (6, 1, 5)
    assert [(e["line"], e["column"]) for e in job.error_sample] == [
        (3, "date"),
        (4, "impressions"),
        (5, "clicks"),
        (6, "campaign"),
        (7, "spend"),
    ]
    table = errors_of(job)
    assert table[0][:4] == ["line", "column", "reason", "date"]
    assert table[1][:3] == ["3", "date", "is not a valid ISO date ('2024-02-30')"]
    # Formula injection is neutralised in the exported CSV.
    assert table[5][4] == "'=cmd|' /C calc'!A0"
    assert CampaignMetric.objects.filter(workspace=workspace).count() == 1


def test_rejected_rows_are_kept_cut_to_size_and_counted_past_the_cap(workspace, settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 2
    settings.IMPORT_MAX_REJECTED_CELL_CHARS = 8
    bad = [f"2024-03-0{day},{'Long name ' * 30},email,x,1,1,1,1,1,1" for day in range(1, 5)]
    job = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *bad))
    assert (job.rows_read, job.rows_rejected) == (4, 4)
    assert len(job.error_sample) == 4  # every rejection is counted and sampled
    table = errors_of(job)
    assert [row[:5] for row in table[1:]] == [
        ["2", "spend", "is not an amount ('x')", "2024-03-…", "Long nam…"],
        ["3", "spend", "is not an amount ('x')", "2024-03-…", "Long nam…"],
    ]
    assert job.message.endswith(
        "4 rows were rejected: errors.csv lists the first 2, the other 2 are only counted."
    )


def test_a_rejected_row_is_kept_within_the_size_of_all_kept(workspace, settings):
    settings.IMPORT_MAX_REJECTED_SIZE = 100
    bad = [f"2024-03-0{day},Spring,email,{'9' * 40},1,1,1,1,1,1" for day in range(1, 5)]
    job = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *bad))
    assert job.rows_rejected == 4 and len(errors_of(job)) == 1 + 1
    assert "errors.csv lists the first 1, the other 3" in job.message


def test_duplicate_keys_inside_one_file_keep_the_first(workspace):
    data = csv_bytes(
        CAMPAIGN_HEADER,
        "2024-03-01,A,email,1,1,1,1,1,1,1",
        "2024-03-01,a,email,2,1,1,1,1,1,1",  # same campaign, any case
        "2024-03-01,A,social,3,1,1,1,1,1,1",  # other channel: another key
    )
    job = run_import(workspace, "campaign", data)
    assert job.rows_rejected == 1
    assert job.error_sample[0]["line"] == 3
    assert "line 2" in job.error_sample[0]["reason"]
    assert CampaignMetric.objects.get(channel="email").spend == Decimal("1.00")


def test_duplicate_keys_in_an_unsorted_file_are_found_too(workspace):
    data = csv_bytes(
        CAMPAIGN_HEADER,
        "2024-03-01,A,email,1,1,1,1,1,1,1",
        "2024-03-02,A,email,1,1,1,1,1,1,1",
        "2024-03-01,A,email,9,1,1,1,1,1,1",  # the day comes back: checked in SQL
    )
    job = run_import(workspace, "campaign", data)
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (3, 2, 1)
    assert job.error_sample[0]["line"] == 4
    assert CampaignMetric.objects.get(date="2024-03-01").spend == Decimal("1.00")


def test_same_file_twice_is_recognised_and_changes_nothing(workspace, campaign_csv):
    first = run_import(workspace, "campaign", campaign_csv)
    before = list(CampaignMetric.objects.values_list("pk", "spend", "import_job_id"))
    second = run_import(workspace, "campaign", campaign_csv)
    assert second.status == Status.SUCCEEDED
    assert second.message == f"Identical to import #{first.pk}: nothing changed."
    assert second.rows_changed == 0
    assert list(CampaignMetric.objects.values_list("pk", "spend", "import_job_id")) == before


def test_forced_reimport_merges_and_writes_nothing(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    again = run_import(workspace, "campaign", campaign_csv, force=True)
    assert again.rows_imported == 3 and again.rows_changed == 0
    assert CampaignMetric.objects.count() == 3


def test_a_corrected_row_replaces_the_old_one(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    corrected = csv_bytes(CAMPAIGN_HEADER, "2024-03-02,spring sale,email,55.00,500,20,10,5,1,80")
    job = run_import(workspace, "campaign", corrected)
    assert job.rows_changed == 1 and job.created_dimensions == {}
    assert CampaignMetric.objects.count() == 3
    row = CampaignMetric.objects.get(date="2024-03-02")
    assert (row.spend, row.purchases, row.revenue) == (Decimal("55.00"), 1, Decimal("80.00"))


def test_reimporting_an_older_file_after_a_newer_one_runs_again(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    run_import(
        workspace,
        "campaign",
        csv_bytes(CAMPAIGN_HEADER, "2024-03-02,Spring Sale,email,1,1,1,1,1,1,1"),
    )
    job = run_import(workspace, "campaign", campaign_csv)
    assert job.rows_changed == 1  # the shortcut only applies to the latest import
    assert CampaignMetric.objects.get(date="2024-03-02").spend == Decimal("50.00")


def test_product_total_rows_are_not_duplicated(workspace):
    data = csv_bytes(
        USAGE_HEADER,
        "2024-03-01,Insights,,1000,5000,10,600",
        "2024-03-01,Insights,Funnels,400,900,2,200",
    )
    run_import(workspace, "usage", data)
    job = run_import(workspace, "usage", data, force=True)
    assert job.rows_changed == 0
    assert UsageMetric.objects.filter(feature__isnull=True).count() == 1
    assert UsageMetric.objects.count() == 2
    corrected = csv_bytes(USAGE_HEADER, "2024-03-01,insights,,1100,5000,10,600")
    run_import(workspace, "usage", corrected)
    assert UsageMetric.objects.get(feature__isnull=True).active_users == 1100
    assert UsageMetric.objects.count() == 2


def test_usage_creates_products_and_features_and_reuses_existing(workspace):
    product = ProductFactory(workspace=workspace, name="Insights")
    FeatureFactory(workspace=workspace, product=product, name="Funnels")
    data = csv_bytes(
        USAGE_HEADER,
        "2024-03-01,INSIGHTS,funnels,10,1,1,1",
        "2024-03-01,Insights,Cohorts,10,1,1,1",
        "2024-03-01,Pulse,Surveys,10,1,1,1",
    )
    job = run_import(workspace, "usage", data)
    assert job.created_dimensions == {
        "products": ["Pulse"],
        "features": ["Insights / Cohorts", "Pulse / Surveys"],
    }
    assert Product.objects.filter(workspace=workspace).count() == 2
    assert Feature.objects.filter(workspace=workspace).count() == 3
    assert all(f.workspace_id == workspace.pk for f in Feature.objects.all())


def test_no_fact_is_orphaned(workspace, other_workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    run_import(other_workspace, "campaign", campaign_csv)
    run_import(
        workspace,
        "usage",
        csv_bytes(USAGE_HEADER, "2024-03-01,P,,10,1,1,1", "2024-03-01,P,F,5,1,1,1"),
    )
    campaigns = CampaignMetric.objects.exclude(campaign__in=Campaign.objects.all())
    assert not campaigns.exists()
    for metric in CampaignMetric.objects.select_related("campaign"):
        assert metric.campaign.workspace_id == metric.workspace_id
    for metric in UsageMetric.objects.select_related("product", "feature"):
        assert metric.product.workspace_id == metric.workspace_id
        if metric.feature_id:
            assert metric.feature.product_id == metric.product_id
    assert CampaignMetric.objects.filter(workspace=other_workspace).count() == 3


def test_surveys(workspace):
    data = csv_bytes(
        SURVEY_HEADER,
        "2024-03-01T10:00:00Z,ann,Quarterly NPS,9,great",
        "2024-03-01T10:00:00+00:00,ann,Quarterly NPS,10,changed my mind",
        "2024-03-01T11:00:00Z,bob,Support CSAT,4,",
    )
    job = run_import(workspace, "survey", data)
    assert job.rows_rejected == 1  # the same respondent and time twice
    assert SurveyResponse.objects.get(respondent="bob").scale == "csat"
    assert SurveyResponse.objects.get(respondent="ann").score == 9


@pytest.mark.parametrize(
    "data, message",
    [
        (b"name,email\nann,a@x\n", "missing columns date, campaign, spend"),
        (b"\x00\x01binary\x00", "not a CSV or XLSX file"),
        (CAMPAIGN_HEADER.encode() + b"\n", "header but no data rows"),
    ],
)
def test_a_file_that_is_not_a_table_fails_as_a_whole(workspace, data, message):
    job = run_import(workspace, "campaign", data)
    assert job.status == Status.FAILED
    assert message in job.message
    assert not CampaignMetric.objects.exists()


def test_upload_size_limit(workspace, settings):
    settings.METRICS_IMPORT_MAX_SIZE = 10
    with pytest.raises(ValidationError) as error:
        import_job(workspace, "campaign", b"x" * 11, name="big.csv")
    assert "file" in error.value.message_dict


def test_empty_upload_and_bad_kind_are_refused(workspace):
    with pytest.raises(ValidationError) as error:
        import_job(workspace, "campaign", b"", name="e.csv")
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        import_job(workspace, "sales", b"a", name="e.csv")
    assert "kind" in error.value.message_dict


def test_a_finished_job_is_never_run_again(workspace, campaign_csv):
    job = run_import(workspace, "campaign", campaign_csv)
    CampaignMetric.objects.all().delete()
    services.import_job_run(job=ImportJob.objects.get(pk=job.pk))  # a redelivered task
    assert not CampaignMetric.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == Status.SUCCEEDED


def test_mapping_of_another_workspace_is_refused(workspace, other_workspace):
    mapping = services.columnmapping_create(
        actor=None,
        workspace=other_workspace,
        name="Theirs",
        kind="campaign",
        columns={"Day": "date"},
    )
    with pytest.raises(ValidationError) as error:
        import_job(workspace, "campaign", b"a", name="e.csv", mapping=mapping)
    assert "mapping" in error.value.message_dict


def test_saved_mapping_is_applied(workspace):
    mapping = services.columnmapping_create(
        actor=None,
        workspace=workspace,
        name="Partner",
        kind="campaign",
        columns={"When": "date", "Name": "campaign", "Money": "spend"},
        defaults={"channel": "partner"},
    )
    job = run_import(workspace, "campaign", b"When,Name,Money\n2024-03-01,X,3\n", mapping=mapping)
    assert job.status == Status.SUCCEEDED
    assert CampaignMetric.objects.get().channel == "partner"


def test_mapping_content_is_validated(workspace):
    with pytest.raises(ValidationError) as error:
        services.columnmapping_create(
            actor=None, workspace=workspace, name="X", kind="campaign", columns={"Day": "when"}
        )
    assert "columns" in error.value.message_dict


def test_json_rows(workspace):
    job = services.import_rows(
        actor=None,
        workspace=workspace,
        kind="campaign",
        rows=[
            {
                "date": "2024-03-01",
                "campaign": "API",
                "channel": "email",
                "spend": 12.5,
                "impressions": 100,
                "clicks": 3,
            },
            {"date": "2024-03-01", "campaign": "API", "channel": "email", "spend": "oops"},
        ],
    )
    assert job.source == ImportJob.Source.API
    assert (job.rows_imported, job.rows_rejected) == (1, 1)
    assert CampaignMetric.objects.get().spend == Decimal("12.50")
    with pytest.raises(ValidationError):
        services.import_rows(actor=None, workspace=workspace, kind="campaign", rows={"a": 1})


def test_import_path_matches_the_database(workspace, campaign_csv, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_import(workspace, "campaign", campaign_csv)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    with CaptureQueriesContext(connection) as captured_again:
        run_import(workspace, "campaign", campaign_csv, force=True)
    statements_again = " ".join(query["sql"] for query in captured_again.captured_queries)
    if connection.vendor == "postgresql":
        # Into dates that hold no facts yet: a plain INSERT; over existing facts: MERGE.
        assert "INSERT INTO metrics_campaignmetric" in statements
        assert "MERGE INTO" not in statements
        assert "MERGE INTO metrics_campaignmetric" in statements_again
        assert "INSERT INTO metrics_campaignmetric" not in statements_again
    else:
        assert "ON CONFLICT" in statements
        assert "ON CONFLICT" in statements_again
    # No query per row: the statement count does not grow with the file.
    small = len(captured.captured_queries)
    many = csv_bytes(
        CAMPAIGN_HEADER, *[f"2024-04-{d:02d},Bulk,email,1,1,1,1,1,1,1" for d in range(1, 29)]
    )
    with CaptureQueriesContext(connection) as captured:
        run_import(workspace, "campaign", many)
    assert len(captured.captured_queries) <= small + 5


# --- A file with some of the measure columns -------------------------------------------------


def _measures(row, names):
    return tuple(getattr(row, name) for name in names)


CAMPAIGN_MEASURES = ("spend", "impressions", "clicks", "visits", "leads", "purchases", "revenue")


@pytest.mark.parametrize("fresh_dates", [False, True], ids=["same-dates", "with-new-dates"])
def test_a_file_with_some_measure_columns_updates_only_those(workspace, campaign_csv, fresh_dates):
    run_import(workspace, "campaign", campaign_csv)
    rows = ["2024-03-01,Spring Sale,email,120", "2024-03-09,Spring Sale,email,7"]
    job = run_import(
        workspace, "campaign", csv_bytes("date,campaign,channel,spend", *rows[: 1 + fresh_dates])
    )
    assert job.status == Status.SUCCEEDED, job.message
    assert job.rows_changed == 1 + fresh_dates
    assert (
        "This file has no impressions, clicks, visits, leads, purchases, revenue columns: "
        "existing values were kept; new rows got 0."
    ) in job.message
    spring = Campaign.objects.get(workspace=workspace, name="Spring Sale")
    updated = CampaignMetric.objects.get(campaign=spring, date="2024-03-01")
    assert _measures(updated, CAMPAIGN_MEASURES) == (Decimal("120"), 1000, 50, 40, 10, 4, 300)
    assert updated.import_job_id == job.pk
    untouched = CampaignMetric.objects.get(campaign=spring, date="2024-03-02")
    assert _measures(untouched, CAMPAIGN_MEASURES) == (Decimal("50"), 500, 20, 10, 5, 0, 0)
    if fresh_dates:
        new = CampaignMetric.objects.get(campaign=spring, date="2024-03-09")
        assert _measures(new, CAMPAIGN_MEASURES) == (Decimal("7"), 0, 0, 0, 0, 0, 0)


def test_the_same_partial_file_again_changes_nothing(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    partial = csv_bytes("date,campaign,channel,spend,revenue", "2024-03-01,Spring Sale,email,1,2")
    assert run_import(workspace, "campaign", partial).rows_changed == 1
    assert run_import(workspace, "campaign", partial, force=True).rows_changed == 0
    row = CampaignMetric.objects.get(date="2024-03-01", channel="email")
    assert _measures(row, CAMPAIGN_MEASURES) == (Decimal("1"), 1000, 50, 40, 10, 4, Decimal("2"))


def test_a_usage_file_with_active_users_only_keeps_the_other_counts(workspace):
    run_import(
        workspace,
        "usage",
        csv_bytes(USAGE_HEADER, "2024-03-01,App,Export,100,900,10,80", "2024-03-01,App,,400,0,0,0"),
    )
    job = run_import(
        workspace,
        "usage",
        csv_bytes(
            "date,product,feature,active_users",
            "2024-03-01,App,Export,120",
            "2024-03-01,App,,450",
            "2024-03-02,App,Export,5",
        ),
    )
    assert job.status == Status.SUCCEEDED, job.message
    assert "This file has no events, new_users, retained_users columns" in job.message
    counts = ("active_users", "events", "new_users", "retained_users")
    feature = UsageMetric.objects.get(date="2024-03-01", feature__name="Export")
    assert _measures(feature, counts) == (120, 900, 10, 80)
    assert _measures(UsageMetric.objects.get(date="2024-03-01", feature=None), counts) == (
        450,
        0,
        0,
        0,
    )
    assert _measures(UsageMetric.objects.get(date="2024-03-02"), counts) == (5, 0, 0, 0)


def test_a_survey_file_without_comments_keeps_them(workspace):
    run_import(
        workspace, "survey", csv_bytes(SURVEY_HEADER, "2024-03-01T10:00:00Z,ann,NPS,9,Great")
    )
    job = run_import(
        workspace,
        "survey",
        csv_bytes("submitted_at,respondent,survey,score", "2024-03-01T10:00:00Z,ann,NPS,10"),
    )
    assert "This file has no comment column: existing values were kept" in job.message
    response = SurveyResponse.objects.get()
    assert (response.score, response.comment) == (10, "Great")


def test_a_preset_default_counts_as_carried_and_its_missing_columns_are_kept(workspace):
    run_import(
        workspace,
        "campaign",
        csv_bytes(CAMPAIGN_HEADER, "2024-03-01,Brand,google_ads,10,100,10,8,2,1,30"),
    )
    job = run_import(
        workspace,
        "campaign",
        csv_bytes(
            "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value", "2024-03-01,Brand,12,1,1,1,1"
        ),
    )
    assert job.status == Status.SUCCEEDED and job.preset == "google_ads", job.message
    assert "This file has no visits, leads columns" in job.message  # channel: the default
    row = CampaignMetric.objects.get()
    assert _measures(row, CAMPAIGN_MEASURES) == (Decimal("12"), 1, 1, 8, 2, 1, Decimal("1"))


def test_a_saved_mapping_default_counts_as_carried(workspace):
    run_import(
        workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, "2024-03-01,A,email,10,100,10,8,2,1,30")
    )
    mapping = services.columnmapping_create(
        actor=None,
        workspace=workspace,
        name="Spend only",
        kind="campaign",
        columns={"cost": "spend"},
        defaults={"channel": "email", "visits": "0"},
    )
    job = run_import(
        workspace, "campaign", csv_bytes("date,campaign,cost", "2024-03-01,A,11"), mapping=mapping
    )
    assert job.status == Status.SUCCEEDED, job.message
    assert "no impressions, clicks, leads, purchases, revenue columns" in job.message
    row = CampaignMetric.objects.get()
    assert _measures(row, CAMPAIGN_MEASURES) == (Decimal("11"), 100, 10, 0, 2, 1, Decimal("30"))


def test_json_rows_update_only_the_fields_they_send(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    job = services.import_rows(
        actor=None,
        workspace=workspace,
        kind="campaign",
        rows=[{"date": "2024-03-01", "campaign": "Spring Sale", "channel": "email", "spend": 9}],
    )
    assert job.status == Status.SUCCEEDED, job.message
    row = CampaignMetric.objects.get(date="2024-03-01", channel="email")
    assert _measures(row, CAMPAIGN_MEASURES) == (Decimal("9"), 1000, 50, 40, 10, 4, 300)


def test_a_full_file_still_overwrites_every_measure(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    job = run_import(
        workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, "2024-03-01,Spring Sale,email,1,,,,,,")
    )
    assert "This file has no" not in job.message
    row = CampaignMetric.objects.get(date="2024-03-01", channel="email")
    assert _measures(row, CAMPAIGN_MEASURES) == (Decimal("1"), 0, 0, 0, 0, 0, 0)


def test_formula_names_are_rejected_and_never_created(workspace):
    job = run_import(
        workspace,
        "campaign",
        csv_bytes(
            CAMPAIGN_HEADER,
            '2024-03-01,"=HYPERLINK(""http://evil.example/x"",""Click me"")",email,1,1,1,1,1,1,1',
            "2024-03-01,Spring,@channel,1,1,1,1,1,1,1",
            '2024-03-01,Spring,email,"1,200.00",1,1,1,1,1,"2,000.50"',
        ),
    )
    assert (job.rows_imported, job.rows_rejected) == (1, 2)
    reasons = {(e["line"], e["column"]): e["reason"] for e in job.error_sample}
    assert reasons[(2, "campaign")].startswith("looks like a spreadsheet formula")
    assert reasons[(3, "channel")].startswith("looks like a spreadsheet formula")
    assert list(Campaign.objects.values_list("name", flat=True)) == ["Spring"]
    row = CampaignMetric.objects.get()
    assert (row.spend, row.revenue) == (Decimal("1200.00"), Decimal("2000.50"))
