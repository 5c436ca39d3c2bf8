"""Launch plans, templates, the GTM calendar and their search index: the squash of
0001_initial..0007_search_index (see docs/operations.md, Upgrading)."""

import alignment.search.operations
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import launches.models.gtm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('launches', '0001_initial'), ('launches', '0002_launch_plans'), ('launches', '0003_launch_objectives'), ('launches', '0004_launchtemplateitem_depends_on'), ('launches', '0005_default_template_dependencies'), ('launches', '0006_date_span'), ('launches', '0007_search_index')]

    initial = True

    dependencies = [
        ('alignment', '0002_squashed_0008_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Campaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('channel', models.CharField(blank=True, help_text='Main channel, e.g. email, paid_search, social.', max_length=60)),
                ('start_date', models.DateField(blank=True, null=True)),
                ('end_date', models.DateField(blank=True, null=True)),
                ('budget', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('features', models.ManyToManyField(blank=True, help_text='Promoted features.', related_name='campaigns', to='alignment.feature')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-start_date', 'name'],
                'constraints': [models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('name'), name='campaign_unique_name_per_workspace', violation_error_message='A campaign with this name already exists.'), models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='campaign_ends_after_start', violation_error_message='A campaign cannot end before it starts.'), models.CheckConstraint(condition=models.Q(('budget__isnull', True), ('budget__gte', 0), _connector='OR'), name='campaign_budget_not_negative', violation_error_message='The budget cannot be negative.')],
            },
        ),
        migrations.CreateModel(
            name='Launch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('tier', models.PositiveSmallIntegerField(choices=[(1, 'Tier 1 (major)'), (2, 'Tier 2'), (3, 'Tier 3 (minor)')], default=2)),
                ('launch_date', models.DateField()),
                ('status', models.CharField(choices=[('planning', 'Planning'), ('ready', 'Ready'), ('launched', 'Launched'), ('reviewed', 'Reviewed')], default='planning', max_length=16)),
                ('goals', models.TextField(blank=True, help_text='What this launch must achieve.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('features', models.ManyToManyField(blank=True, related_name='launches', to='alignment.feature')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='launches', to='alignment.product')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['launch_date', 'name'],
            },
        ),
        migrations.CreateModel(
            name='LaunchTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('tier', models.PositiveSmallIntegerField(choices=[(1, 'Tier 1 (major)'), (2, 'Tier 2'), (3, 'Tier 3 (minor)')], default=2)),
                ('description', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['tier', 'name'],
            },
        ),
        migrations.CreateModel(
            name='LaunchTemplateItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('task', 'Task'), ('milestone', 'Milestone')], default='task', max_length=16)),
                ('title', models.CharField(max_length=200)),
                ('team', models.CharField(choices=[('product', 'Product'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support')], default='product', max_length=16)),
                ('offset_days', models.IntegerField(default=0, help_text='Days from the launch date: negative is before the launch.')),
                ('milestone_kind', models.CharField(blank=True, choices=[('content_ready', 'Content ready'), ('sales_trained', 'Sales trained'), ('support_enabled', 'Support enabled'), ('customers_contacted', 'Customers contacted'), ('general_availability', 'General availability'), ('custom', 'Custom')], help_text='For a milestone: its kind. For a task: the milestone it leads to.', max_length=32)),
                ('channel', models.CharField(blank=True, choices=[('blog', 'Blog'), ('social', 'Social'), ('email', 'Email'), ('pr', 'PR'), ('webinar', 'Webinar'), ('docs', 'Docs'), ('in_app', 'In-app')], max_length=16)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='launches.launchtemplate')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['template', 'offset_days', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('content_ready', 'Content ready'), ('sales_trained', 'Sales trained'), ('support_enabled', 'Support enabled'), ('customers_contacted', 'Customers contacted'), ('general_availability', 'General availability'), ('custom', 'Custom')], max_length=32)),
                ('title', models.CharField(blank=True, help_text='Shown instead of the kind.', max_length=200)),
                ('team', models.CharField(choices=[('product', 'Product'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support')], default='product', max_length=16)),
                ('due_date', models.DateField()),
                ('done', models.BooleanField(default=False)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('launch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='launches.launch')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['due_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='LaunchTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('team', models.CharField(choices=[('product', 'Product'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support')], default='product', max_length=16)),
                ('due_date', models.DateField()),
                ('status', models.CharField(choices=[('todo', 'To do'), ('doing', 'Doing'), ('blocked', 'Blocked'), ('done', 'Done')], default='todo', max_length=16)),
                ('channel', models.CharField(blank=True, choices=[('blog', 'Blog'), ('social', 'Social'), ('email', 'Email'), ('pr', 'PR'), ('webinar', 'Webinar'), ('docs', 'Docs'), ('in_app', 'In-app')], max_length=16)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='launch_tasks', to=settings.AUTH_USER_MODEL)),
                ('depends_on', models.ManyToManyField(blank=True, related_name='dependents', to='launches.launchtask')),
                ('launch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='launches.launch')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
                ('milestone', models.ForeignKey(blank=True, help_text='The milestone this task leads to: blocking it blocks the milestone.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='launches.milestone')),
            ],
            options={
                'ordering': ['due_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='OverdueDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField()),
                ('task_count', models.PositiveIntegerField(default=0)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
        ),
        migrations.CreateModel(
            name='Release',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=60)),
                ('date', models.DateField()),
                ('notes', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('features', models.ManyToManyField(blank=True, related_name='releases', to='alignment.feature')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='releases', to='alignment.product')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-date', 'version'],
            },
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(default=launches.models.gtm.new_feed_token, editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('workspace', 'user'), name='calendarfeed_one_per_user')],
            },
        ),
        migrations.CreateModel(
            name='GtmSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('conflict_window_days', models.PositiveSmallIntegerField(db_default=3, default=3, help_text='A release within this many days before a campaign promoting its feature (or during it) is a conflict.')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name': 'GTM settings',
                'verbose_name_plural': 'GTM settings',
                'constraints': [models.UniqueConstraint(fields=('workspace',), name='gtmsettings_one_per_workspace')],
            },
        ),
        migrations.AddConstraint(
            model_name='launch',
            constraint=models.CheckConstraint(condition=models.Q(('tier__gte', 1), ('tier__lte', 3)), name='launch_tier_1_to_3'),
        ),
        migrations.AddConstraint(
            model_name='launchtemplate',
            constraint=models.UniqueConstraint(models.F('workspace'), django.db.models.functions.text.Lower('name'), name='launchtemplate_unique_name_per_workspace', violation_error_message='A launch template with this name already exists.'),
        ),
        migrations.AddConstraint(
            model_name='overduedigest',
            constraint=models.UniqueConstraint(fields=('workspace', 'user', 'sent_on'), name='overduedigest_once_a_day'),
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.UniqueConstraint(models.F('product'), django.db.models.functions.text.Lower('version'), name='release_unique_version_per_product', violation_error_message='This product already has a release with this version.'),
        ),
        migrations.AddField(
            model_name='launchtemplateitem',
            name='depends_on',
            field=models.JSONField(blank=True, default=list, help_text="For a task: the titles of the template's tasks it comes after. Applying the template links the launch's tasks the same way."),
        ),
        migrations.AddField(
            model_name='launch',
            name='objectives',
            field=models.ManyToManyField(blank=True, help_text='The shared objectives this launch serves.', related_name='launches', to='alignment.objective'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='end_date',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='start_date',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='launch',
            name='launch_date',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='launchtask',
            name='due_date',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='milestone',
            name='due_date',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='release',
            name='date',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='launch',
            fields=(('name', 'A'), ('goals', 'B')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='campaign',
            fields=(('name', 'A'), ('channel', 'C')),
        ),
    ]
