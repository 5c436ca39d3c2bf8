"""The research repository, evidence to roadmap and its search index: the squash of
0002_research_knowledge_base..0009_persona_search_jobs (see docs/operations.md, Upgrading)."""

import alignment.search.operations
import datetime
import django.contrib.postgres.operations
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import research.markdown
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('research', '0002_research_knowledge_base'), ('research', '0003_insight_import'), ('research', '0004_insight_import_message'), ('research', '0005_date_span'), ('research', '0006_evidence_to_roadmap'), ('research', '0007_search_trigram'), ('research', '0008_search_index'), ('research', '0009_persona_search_jobs')]

    dependencies = [
        ('alignment', '0002_squashed_0008_search_index'),
        ('research', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='competitor',
            name='positioning',
            field=models.TextField(blank=True, help_text='How they describe themselves.', validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='competitor',
            name='strengths',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='competitor',
            name='weaknesses',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='persona',
            name='goals',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='persona',
            name='jobs_to_be_done',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='persona',
            name='pains',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AlterField(
            model_name='persona',
            name='summary',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.CreateModel(
            name='Insight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('body', models.TextField(blank=True, help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000), research.markdown.validate_safe_markdown])),
                ('evidence', models.TextField(blank=True, help_text='A verbatim quote or the data point behind it.', validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('source', models.CharField(blank=True, help_text='Where it comes from: a call, a ticket, a survey.', max_length=200)),
                ('sentiment', models.CharField(choices=[('positive', 'Positive'), ('neutral', 'Neutral'), ('negative', 'Negative'), ('mixed', 'Mixed')], default='neutral', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('competitors', models.ManyToManyField(blank=True, related_name='insights', to='research.competitor')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('features', models.ManyToManyField(blank=True, related_name='research_insights', to='alignment.feature')),
                ('personas', models.ManyToManyField(blank=True, related_name='insights', to='research.persona')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stance', models.CharField(choices=[('supporting', 'Supporting'), ('contradicting', 'Contradicting')], default='supporting', max_length=14)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
                ('insight', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence_links', to='research.insight')),
            ],
            options={
                'verbose_name_plural': 'evidence',
                'ordering': ['stance', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='JourneyMap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('persona', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journey_maps', to='research.persona')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['persona__name', 'name'],
            },
        ),
        migrations.CreateModel(
            name='JourneyStage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('name', models.CharField(max_length=120)),
                ('touchpoints', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('pains', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('opportunities', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('journey_map', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='research.journeymap')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['journey_map', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Opportunity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('problem', models.TextField(blank=True, help_text='…has <problem>', validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('reason', models.TextField(blank=True, help_text='…because <reason>', validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('signal', models.TextField(blank=True, help_text='…we will know we are right when <signal>', validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('description', models.TextField(blank=True, help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000), research.markdown.validate_safe_markdown])),
                ('status', models.CharField(choices=[('identified', 'Identified'), ('validating', 'Validating'), ('validated', 'Validated'), ('invalidated', 'Invalidated')], default='identified', max_length=12)),
                ('status_reason', models.TextField(blank=True)),
                ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('features', models.ManyToManyField(blank=True, related_name='research_opportunities', to='alignment.feature')),
                ('insights', models.ManyToManyField(blank=True, related_name='opportunities', through='research.Evidence', to='research.insight')),
                ('persona', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='opportunities', to='research.persona')),
                ('status_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name_plural': 'opportunities',
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='evidence',
            name='opportunity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='research.opportunity'),
        ),
        migrations.CreateModel(
            name='OpportunityStatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(choices=[('identified', 'Identified'), ('validating', 'Validating'), ('validated', 'Validated'), ('invalidated', 'Invalidated')], max_length=12)),
                ('to_status', models.CharField(choices=[('identified', 'Identified'), ('validating', 'Validating'), ('validated', 'Validated'), ('invalidated', 'Invalidated')], max_length=12)),
                ('reason', models.TextField(validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('opportunity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='research.opportunity')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-changed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Segment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('criteria', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('description', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('personas', models.ManyToManyField(blank=True, related_name='segments', to='research.persona')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Study',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('interview', 'Interview'), ('survey', 'Survey'), ('beta_test', 'Beta test'), ('usability', 'Usability test'), ('support_analysis', 'Support analysis'), ('market_analysis', 'Market analysis')], default='interview', max_length=20)),
                ('title', models.CharField(max_length=200)),
                ('started_on', models.DateField(blank=True, null=True)),
                ('ended_on', models.DateField(blank=True, null=True)),
                ('summary', models.TextField(blank=True, help_text='Markdown.', validators=[django.core.validators.MaxLengthValidator(20000), research.markdown.validate_safe_markdown])),
                ('survey', models.CharField(blank=True, help_text='The survey name of its imported responses (Metrics > Imports, kind survey): the study page shows their NPS and CSAT.', max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('personas', models.ManyToManyField(blank=True, related_name='studies', to='research.persona')),
                ('segments', models.ManyToManyField(blank=True, related_name='studies', to='research.segment')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name_plural': 'studies',
                'ordering': ['-started_on', 'title'],
            },
        ),
        migrations.AddField(
            model_name='insight',
            name='study',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='insights', to='research.study'),
        ),
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='insight',
            name='tags',
            field=models.ManyToManyField(blank=True, related_name='insights', to='research.tag'),
        ),
        migrations.AddConstraint(
            model_name='journeymap',
            constraint=models.UniqueConstraint(models.F('persona'), django.db.models.functions.text.Lower('name'), name='journey_map_unique_name_per_persona', violation_error_message='This persona already has a journey map with this name.'),
        ),
        migrations.AddConstraint(
            model_name='journeystage',
            constraint=models.UniqueConstraint(fields=('journey_map', 'position'), name='journey_stage_unique_position'),
        ),
        migrations.AddConstraint(
            model_name='opportunity',
            constraint=models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('title'), name='opportunity_unique_title_per_workspace', violation_error_message='A opportunity with this title already exists.'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(fields=('opportunity', 'insight'), name='evidence_unique_insight_per_opportunity', violation_error_message='This insight is already evidence for the opportunity.'),
        ),
        migrations.AddConstraint(
            model_name='segment',
            constraint=models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('name'), name='segment_unique_name_per_workspace', violation_error_message='A segment with this name already exists.'),
        ),
        migrations.AddConstraint(
            model_name='study',
            constraint=models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('title'), name='study_unique_title_per_workspace', violation_error_message='A study with this title already exists.'),
        ),
        migrations.AddConstraint(
            model_name='study',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('started_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='study_ends_after_start', violation_error_message='A study cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('name'), name='tag_unique_name_per_workspace', violation_error_message='A tag with this name already exists.'),
        ),
        migrations.AddIndex(
            model_name='insight',
            index=models.Index(fields=['workspace', '-created_at'], name='research_in_workspa_66ebda_idx'),
        ),
        migrations.CreateModel(
            name='InsightImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('rows_read', models.PositiveIntegerField(default=0)),
                ('rows_imported', models.PositiveIntegerField(default=0)),
                ('rows_rejected', models.PositiveIntegerField(default=0)),
                ('header', models.JSONField(blank=True, default=list, help_text="The file's header row.")),
                ('rejected', models.JSONField(blank=True, default=list, help_text='One entry per rejected row: {line, cells, errors: [{column, reason}]}.')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
                ('message', models.TextField(blank=True, help_text='Notes on the file: read as Windows-1252, rejected rows not kept.')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['workspace', '-created_at'], name='research_in_workspa_d8505e_idx')],
            },
        ),
        migrations.AlterField(
            model_name='study',
            name='ended_on',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='study',
            name='started_on',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.CreateModel(
            name='Highlight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.PositiveIntegerField()),
                ('end', models.PositiveIntegerField()),
                ('text', models.TextField(validators=[django.core.validators.MaxLengthValidator(5000)])),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['insight', 'start', 'id'],
            },
        ),
        migrations.CreateModel(
            name='InsightEmbedding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model_version', models.CharField(max_length=60)),
                ('text_hash', models.CharField(max_length=64)),
                ('vector', models.BinaryField()),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=120)),
                ('label_locked', models.BooleanField(default=False, help_text='Renamed by a person.')),
                ('pinned', models.BooleanField(default=False, help_text='Kept even when empty.')),
                ('terms', models.JSONField(blank=True, default=list)),
                ('centroid', models.BinaryField(blank=True, null=True)),
                ('computed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['-pinned', 'label', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ThemeMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('manual', models.BooleanField(default=False)),
                ('score', models.FloatField(default=0.0, help_text="Similarity to the theme's centre.")),
            ],
        ),
        migrations.RemoveConstraint(
            model_name='evidence',
            name='evidence_unique_insight_per_opportunity',
        ),
        migrations.AddField(
            model_name='insight',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, help_text='The insight this one repeats: the same evidence, counted once.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='research.insight'),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='confidence',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='confidence_reason',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='effort',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='horizon',
            field=models.CharField(blank=True, choices=[('now', 'Now'), ('next', 'Next'), ('later', 'Later')], max_length=5, null=True),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='hypothesis_text',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)]),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='impact',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='reach',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='reach_reason',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='opportunity',
            name='roadmap_position',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='highlight',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='highlight',
            name='feature',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='research_highlights', to='alignment.feature'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='insight',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='highlights', to='research.insight'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='persona',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='highlights', to='research.persona'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='tags',
            field=models.ManyToManyField(blank=True, related_name='highlights', to='research.tag'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='workspace',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace'),
        ),
        migrations.AddField(
            model_name='evidence',
            name='highlight',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evidence_links', to='research.highlight'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(condition=models.Q(('highlight__isnull', True)), fields=('opportunity', 'insight'), name='evidence_unique_insight_per_opportunity', violation_error_message='This insight is already evidence for the opportunity.'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(condition=models.Q(('highlight__isnull', False)), fields=('opportunity', 'highlight'), name='evidence_unique_highlight_per_opportunity', violation_error_message='This highlight is already evidence for the opportunity.'),
        ),
        migrations.AddField(
            model_name='insightembedding',
            name='insight',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='embedding', to='research.insight'),
        ),
        migrations.AddField(
            model_name='insightembedding',
            name='workspace',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace'),
        ),
        migrations.AddField(
            model_name='theme',
            name='workspace',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace'),
        ),
        migrations.AddField(
            model_name='thememembership',
            name='insight',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='theme_memberships', to='research.insight'),
        ),
        migrations.AddField(
            model_name='thememembership',
            name='theme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='research.theme'),
        ),
        migrations.AddField(
            model_name='thememembership',
            name='workspace',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace'),
        ),
        migrations.AddField(
            model_name='theme',
            name='insights',
            field=models.ManyToManyField(blank=True, related_name='themes', through='research.ThemeMembership', to='research.insight'),
        ),
        migrations.AddConstraint(
            model_name='highlight',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='highlight_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='thememembership',
            constraint=models.UniqueConstraint(fields=('insight',), name='theme_membership_one_per_insight'),
        ),
        django.contrib.postgres.operations.TrigramExtension(
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='insight',
            fields=(('title', 'A'), ('body', 'B'), ('evidence', 'B'), ('source', 'C')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='highlight',
            fields=(('text', 'A'),),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='tag',
            fields=(('name', 'A'),),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='opportunity',
            fields=(('title', 'A'), ('hypothesis_text', 'B'), ('problem', 'B'), ('reason', 'B'), ('signal', 'C'), ('description', 'C')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='study',
            fields=(('title', 'A'), ('summary', 'B')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='persona',
            fields=(('name', 'A'), ('summary', 'B'), ('goals', 'B'), ('pains', 'B'), ('jobs_to_be_done', 'C')),
        ),
    ]
