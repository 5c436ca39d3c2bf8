"""Imports, facts, snapshots, diagnostics and background runs: the squash of
0001_initial..0007_backgroundrun (see docs/operations.md, Upgrading)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Room on every page of the fact tables for a new version of each row: a corrected
# re-import updates rows in place as HOT updates (docs/benchmarks.md). PostgreSQL only.
FACT_TABLES = ("metrics_campaignmetric", "metrics_usagemetric")
FILLFACTOR = 50


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FACT_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FACT_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):

    replaces = [('metrics', '0001_initial'), ('metrics', '0002_snapshot_daily_sums_fact_fillfactor'), ('metrics', '0003_importjob_attempts_outbox'), ('metrics', '0004_diagnostics'), ('metrics', '0005_dashboardsnapshot_version'), ('metrics', '0006_importjob_heartbeat'), ('metrics', '0007_backgroundrun')]

    initial = True

    dependencies = [
        ('alignment', '0002_squashed_0008_search_index'),
        ('launches', '0001_squashed_0007_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ColumnMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('kind', models.CharField(choices=[('campaign', 'Campaign metrics'), ('usage', 'Product usage'), ('survey', 'Survey responses')], max_length=16)),
                ('columns', models.JSONField(default=dict)),
                ('defaults', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['kind', 'name'],
            },
        ),
        migrations.CreateModel(
            name='DashboardSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('computed_at', models.DateTimeField(blank=True, null=True)),
                ('as_of', models.DateField(blank=True, null=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('duration_ms', models.PositiveIntegerField(default=0)),
                ('failed_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.TextField(blank=True)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
        ),
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('campaign', 'Campaign metrics'), ('usage', 'Product usage'), ('survey', 'Survey responses')], max_length=16)),
                ('source', models.CharField(choices=[('upload', 'File upload'), ('api', 'API rows'), ('command', 'Command line')], default='upload', max_length=16)),
                ('file', models.FileField(blank=True, upload_to='imports/%Y/%m/')),
                ('original_name', models.CharField(blank=True, max_length=255)),
                ('size', models.BigIntegerField(default=0)),
                ('checksum', models.CharField(db_index=True, max_length=64)),
                ('preset', models.CharField(blank=True, max_length=32)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('succeeded_with_errors', 'Succeeded with errors'), ('failed', 'Failed')], default='queued', max_length=24)),
                ('rows_read', models.PositiveIntegerField(default=0)),
                ('rows_imported', models.PositiveIntegerField(default=0)),
                ('rows_rejected', models.PositiveIntegerField(default=0)),
                ('rows_changed', models.PositiveIntegerField(default=0)),
                ('progress', models.PositiveSmallIntegerField(default=0)),
                ('message', models.TextField(blank=True, help_text='Why a whole file failed, or a note.')),
                ('errors_file', models.FileField(blank=True, upload_to='imports/errors/%Y/%m/')),
                ('error_sample', models.JSONField(blank=True, default=list)),
                ('created_dimensions', models.JSONField(blank=True, default=dict)),
                ('date_from', models.DateField(blank=True, null=True)),
                ('date_to', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mapping', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='metrics.columnmapping')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('survey', models.CharField(max_length=200)),
                ('respondent', models.CharField(max_length=200)),
                ('submitted_at', models.DateTimeField()),
                ('scale', models.CharField(choices=[('nps', 'NPS (0-10)'), ('csat', 'CSAT (1-5)')], default='nps', max_length=8)),
                ('score', models.SmallIntegerField()),
                ('comment', models.TextField(blank=True, default='')),
                ('import_job_id', models.BigIntegerField(blank=True, null=True)),
                ('workspace', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-submitted_at'],
            },
        ),
        migrations.CreateModel(
            name='UsageMetric',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('active_users', models.BigIntegerField(default=0)),
                ('events', models.BigIntegerField(default=0)),
                ('new_users', models.BigIntegerField(default=0)),
                ('retained_users', models.BigIntegerField(default=0)),
                ('import_job_id', models.BigIntegerField(blank=True, null=True)),
                ('feature', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.feature')),
                ('product', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.product')),
                ('workspace', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-date', 'product_id', 'feature_id'],
            },
        ),
        migrations.CreateModel(
            name='CampaignMetric',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('channel', models.CharField(blank=True, default='', max_length=60)),
                ('spend', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('impressions', models.BigIntegerField(default=0)),
                ('clicks', models.BigIntegerField(default=0)),
                ('visits', models.BigIntegerField(default=0)),
                ('leads', models.BigIntegerField(default=0)),
                ('purchases', models.BigIntegerField(default=0)),
                ('revenue', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('import_job_id', models.BigIntegerField(blank=True, null=True)),
                ('campaign', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='launches.campaign')),
                ('workspace', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-date', 'campaign_id', 'channel'],
                'constraints': [models.UniqueConstraint(fields=('workspace', 'date', 'campaign', 'channel'), name='campaignmetric_natural_key')],
            },
        ),
        migrations.AddConstraint(
            model_name='columnmapping',
            constraint=models.UniqueConstraint(fields=('workspace', 'kind', 'name'), name='columnmapping_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='dashboardsnapshot',
            constraint=models.UniqueConstraint(fields=('workspace',), name='dashboardsnapshot_one_per_workspace'),
        ),
        migrations.AddIndex(
            model_name='importjob',
            index=models.Index(fields=['workspace', 'kind', '-finished_at'], name='metrics_imp_workspa_8e2d52_idx'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.UniqueConstraint(fields=('workspace', 'submitted_at', 'survey', 'respondent'), name='surveyresponse_natural_key'),
        ),
        migrations.AddConstraint(
            model_name='usagemetric',
            constraint=models.UniqueConstraint(fields=('workspace', 'date', 'product', 'feature'), name='usagemetric_natural_key'),
        ),
        migrations.AddConstraint(
            model_name='usagemetric',
            constraint=models.UniqueConstraint(condition=models.Q(('feature__isnull', True)), fields=('workspace', 'date', 'product'), name='usagemetric_product_total_key'),
        ),
        migrations.AddField(
            model_name='dashboardsnapshot',
            name='daily_sums',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='importjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, help_text='How many times a worker started this job (2+ means it was retried).'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='enqueued_at',
            field=models.DateTimeField(blank=True, help_text='When the task was handed to the broker; empty while it waits (the outbox).', null=True),
        ),
        migrations.CreateModel(
            name='Diagnosis',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(max_length=40)),
                ('severity', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], max_length=8)),
                ('team', models.CharField(help_text='The team it is handed to.', max_length=12)),
                ('informed_team', models.CharField(blank=True, help_text='Kept informed.', max_length=12)),
                ('subject_type', models.CharField(choices=[('campaign', 'Campaign'), ('feature', 'Feature'), ('launch', 'Launch'), ('objective', 'Objective'), ('channel', 'Channel'), ('workspace', 'Workspace'), ('claim', 'Claim')], max_length=10)),
                ('subject_id', models.PositiveIntegerField(default=0)),
                ('subject_key', models.CharField(blank=True, help_text="For subjects without an id (a channel's name).", max_length=80)),
                ('subject_label', models.CharField(blank=True, max_length=200)),
                ('evidence', models.JSONField(blank=True, default=dict)),
                ('level', models.FloatField(default=0, help_text="How bad, on the rule's own scale.")),
                ('message', models.TextField()),
                ('next_step', models.TextField(blank=True)),
                ('link', models.CharField(blank=True, max_length=300)),
                ('state', models.CharField(choices=[('open', 'Open'), ('acknowledged', 'Acknowledged'), ('dismissed', 'Dismissed'), ('resolved', 'Resolved')], default='open', max_length=14)),
                ('detected_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('last_seen_at', models.DateTimeField(blank=True, null=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True, help_text='Why it was dismissed or acknowledged.')),
                ('dismissed_level', models.FloatField(blank=True, null=True)),
                ('feedback_id', models.PositiveIntegerField(blank=True, null=True)),
                ('state_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name_plural': 'diagnoses',
                'ordering': ['-detected_at', '-id'],
                'indexes': [models.Index(fields=['workspace', 'state', 'rule'], name='metrics_dia_workspa_9fd891_idx'), models.Index(fields=['workspace', 'subject_type', 'subject_id'], name='metrics_dia_workspa_2756e8_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ['open', 'acknowledged', 'dismissed'])), fields=('workspace', 'rule', 'subject_type', 'subject_id', 'subject_key'), name='diagnosis_one_live_per_subject')],
            },
        ),
        migrations.CreateModel(
            name='DiagnosticDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('team', models.CharField(max_length=12)),
                ('sent_on', models.DateField()),
                ('diagnosis_count', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('workspace', 'team', 'sent_on'), name='diagnosticdigest_once_a_day')],
            },
        ),
        migrations.CreateModel(
            name='DiagnosticSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('window_days', models.PositiveSmallIntegerField(default=14, help_text='Days each rule looks back over (the current window).')),
                ('baseline_days', models.PositiveSmallIntegerField(default=56, help_text='Days before the window that form the trailing baseline.')),
                ('twc_min_visits', models.PositiveIntegerField(default=500, help_text='Visits a campaign needs in the window before it is judged.')),
                ('twc_max_ratio', models.DecimalField(decimal_places=3, default=0.25, help_text="Flag when the conversion rate is below this share of its channel's.", max_digits=5)),
                ('adoption_min_users', models.PositiveIntegerField(default=200, help_text='Product active users (per day, on average) before judging.')),
                ('adoption_max_ratio', models.DecimalField(decimal_places=3, default=0.5, help_text="Flag when adoption is below this share of the product's median feature.", max_digits=5)),
                ('roi_min_spend', models.DecimalField(decimal_places=2, default=1000, help_text='Spend before ROI is judged.', max_digits=14)),
                ('roi_threshold', models.DecimalField(decimal_places=3, default=0, help_text='Flag when ROI is below this.', max_digits=6)),
                ('drop_min_visits', models.PositiveIntegerField(default=1000, help_text='Visits needed in the window and in the baseline each.')),
                ('drop_z', models.DecimalField(decimal_places=2, default=3.0, help_text='z score of the two-proportion test below which the drop is flagged (-z).', max_digits=4)),
                ('drop_min_relative', models.DecimalField(decimal_places=3, default=0.2, help_text='And the rate must have fallen by at least this share of the baseline.', max_digits=4)),
                ('launch_days_ahead', models.PositiveSmallIntegerField(default=21, help_text='Only launches this close (in days) are flagged.')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name_plural': 'diagnostic settings',
                'constraints': [models.UniqueConstraint(fields=('workspace',), name='diagnosticsettings_one_per_workspace')],
            },
        ),
        migrations.AddField(
            model_name='dashboardsnapshot',
            name='version',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='importjob',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, help_text='Last sign of life of the worker running it; a stale one is re-queued.', null=True),
        ),
        migrations.CreateModel(
            name='BackgroundRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('dashboard', 'Dashboard recompute'), ('diagnostics', 'Diagnostics run')], max_length=16)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running')], default='queued', max_length=16)),
                ('date_from', models.DateField(blank=True, help_text='The changed range (empty: recompute everything).', null=True)),
                ('date_to', models.DateField(blank=True, null=True)),
                ('changed_kind', models.CharField(blank=True, max_length=16)),
                ('rows_changed', models.PositiveIntegerField(default=0)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('message', models.CharField(blank=True, max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('enqueued_at', models.DateTimeField(blank=True, null=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'queued')), fields=('workspace', 'kind'), name='metrics_one_queued_run_per_workspace_and_kind')],
            },
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
