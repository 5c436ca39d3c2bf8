"""Messaging, invitations, currencies and the search index of the core: the squash of
0002_messaging..0008_search_index (see docs/operations.md, Upgrading)."""

import alignment.models
import alignment.search.operations
import datetime
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('alignment', '0002_messaging'), ('alignment', '0003_invitation'), ('alignment', '0004_date_span'), ('alignment', '0005_workspace_currency'), ('alignment', '0006_objective_workspace_scope_optional_owners'), ('alignment', '0007_feature_external_refs'), ('alignment', '0008_search_index')]

    dependencies = [
        ('alignment', '0001_initial'),
        ('research', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Claim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], default='draft', max_length=20)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('review_comment', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('headline', models.CharField(max_length=200)),
                ('body', models.TextField(blank=True)),
                ('proof_point', models.TextField(blank=True, help_text='The evidence that backs the claim.')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('feature', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claims', to='alignment.feature')),
                ('personas', models.ManyToManyField(blank=True, related_name='claims', to='research.persona')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Feedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_team', models.CharField(choices=[('product', 'Product'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support')], max_length=12)),
                ('to_team', models.CharField(choices=[('product', 'Product'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support')], max_length=12)),
                ('subject_type', models.CharField(choices=[('feature', 'Feature'), ('campaign', 'Campaign'), ('launch', 'Launch')], max_length=10)),
                ('subject_id', models.PositiveIntegerField()),
                ('title', models.CharField(blank=True, max_length=200)),
                ('body', models.TextField()),
                ('status', models.CharField(choices=[('open', 'Open'), ('acknowledged', 'Acknowledged'), ('resolved', 'Resolved')], default='open', max_length=14)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'verbose_name_plural': 'feedback',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='FeedbackComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('feedback', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='alignment.feedback')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HandoffDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], default='draft', max_length=20)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('review_comment', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('kind', models.CharField(choices=[('press_release', 'Internal press release'), ('feature_definition', 'Feature definition'), ('demo_script', 'Demo script'), ('user_scenario', 'User scenario'), ('faq', 'FAQ'), ('battlecard', 'Battlecard')], max_length=24)),
                ('title', models.CharField(max_length=200)),
                ('body', models.TextField(blank=True, help_text='Markdown.')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('competitor', models.ForeignKey(blank=True, help_text='Battlecards only: the competitor it argues against.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='battlecards', to='research.competitor')),
                ('feature', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handoff_documents', to='alignment.feature')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Objective',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('marketing_owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('product', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='objectives', to='alignment.product')),
                ('product_owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-period_start', 'title'],
            },
        ),
        migrations.CreateModel(
            name='ObjectiveTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kpi', models.CharField(choices=[('roi', 'ROI'), ('roas', 'ROAS'), ('conversion_rate', 'Conversion rate'), ('lead_conversion_rate', 'Lead conversion rate'), ('ctr', 'CTR'), ('cpa', 'CPA'), ('spend', 'Spend'), ('revenue', 'Revenue'), ('visits', 'Visits'), ('purchases', 'Purchases'), ('adoption', 'Adoption'), ('retention', 'Retention'), ('active_users', 'Active users'), ('nps', 'NPS'), ('csat', 'CSAT')], max_length=24)),
                ('target', models.DecimalField(decimal_places=4, max_digits=16)),
                ('direction', models.CharField(choices=[('up', 'At least (higher is better)'), ('down', 'At most (lower is better)')], default='up', max_length=4)),
                ('scope', models.CharField(choices=[('product', 'Product'), ('feature', 'Feature'), ('campaign', 'Campaign'), ('channel', 'Channel')], max_length=10)),
                ('scope_id', models.PositiveIntegerField(blank=True, help_text='The product, feature or campaign id.', null=True)),
                ('scope_value', models.CharField(blank=True, help_text='The channel name, for a channel scope.', max_length=60)),
                ('objective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='alignment.objective')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['objective', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Positioning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target_customer', models.TextField(help_text='For (target customer) ...', verbose_name='For')),
                ('need', models.TextField(help_text='who (statement of need or opportunity) ...', verbose_name='Who')),
                ('alternative', models.TextField(blank=True, help_text='unlike (the primary competitive alternative) ...', verbose_name='Unlike')),
                ('our_product', models.TextField(help_text='our product (product category and key benefit) ...', verbose_name='Our product')),
                ('differentiator', models.TextField(blank=True, help_text='because (the primary differentiation) ...', verbose_name='Because')),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('persona', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='positionings', to='research.persona')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='positionings', to='alignment.product')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['product__name', 'persona__name'],
            },
        ),
        migrations.CreateModel(
            name='PositioningVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('target_customer', models.TextField()),
                ('need', models.TextField()),
                ('alternative', models.TextField(blank=True)),
                ('our_product', models.TextField()),
                ('differentiator', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('positioning', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='alignment.positioning')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-number'],
            },
        ),
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('decision', models.CharField(choices=[('approve', 'Approve'), ('request_changes', 'Request changes')], max_length=20)),
                ('comment', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('claim', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='alignment.claim')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='alignment.handoffdocument')),
                ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SyncMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(default='Product & marketing sync', max_length=200)),
                ('date', models.DateField()),
                ('updates', models.TextField(blank=True)),
                ('goals', models.TextField(blank=True)),
                ('challenges', models.TextField(blank=True)),
                ('decisions', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('attendees', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ActionItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('due_date', models.DateField(blank=True, null=True)),
                ('done', models.BooleanField(default=False)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='alignment.syncmeeting')),
            ],
            options={
                'ordering': ['done', 'due_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verb', models.CharField(max_length=40)),
                ('target_type', models.CharField(max_length=40)),
                ('target_id', models.PositiveIntegerField()),
                ('target_label', models.CharField(max_length=200)),
                ('target_url', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['workspace', '-created_at'], name='alignment_a_workspa_b61b97_idx')],
            },
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(fields=['workspace', 'to_team', 'status'], name='alignment_f_workspa_18de2a_idx'),
        ),
        migrations.AddConstraint(
            model_name='feedback',
            constraint=models.CheckConstraint(condition=models.Q(('from_team', models.F('to_team')), _negated=True), name='feedback_between_two_teams', violation_error_message='Feedback goes from one team to another.'),
        ),
        migrations.AddConstraint(
            model_name='objective',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='objective_ends_after_start', violation_error_message='The period cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='positioning',
            constraint=models.UniqueConstraint(fields=('product', 'persona'), name='positioning_unique_product_persona', violation_error_message='This product already has a positioning for this persona.'),
        ),
        migrations.AddConstraint(
            model_name='positioningversion',
            constraint=models.UniqueConstraint(fields=('positioning', 'number'), name='positioning_version_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('claim__isnull', False), ('document__isnull', True)), models.Q(('claim__isnull', True), ('document__isnull', False)), _connector='OR'), name='review_of_claim_or_document'),
        ),
        migrations.AddIndex(
            model_name='actionitem',
            index=models.Index(fields=['workspace', 'owner', 'done'], name='alignment_a_workspa_1154d8_idx'),
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150)),
                ('role', models.CharField(choices=[('admin', 'Admin'), ('pm', 'Product manager'), ('pmm', 'Product marketing manager'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('support', 'Support'), ('viewer', 'Viewer')], default='viewer', max_length=16)),
                ('token', models.CharField(default=alignment.models.new_invitation_token, editable=False, max_length=64, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('revoked', 'Revoked')], default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField(default=alignment.models.invitation_expiry)),
                ('responded_at', models.DateTimeField(blank=True, null=True)),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('invitee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('workspace', 'username'), name='invitation_one_pending_per_name'), models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('workspace', 'invitee'), name='invitation_one_pending_per_invitee')],
            },
        ),
        migrations.AlterField(
            model_name='actionitem',
            name='due_date',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='feature',
            name='release_date',
            field=models.DateField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='objective',
            name='period_end',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='objective',
            name='period_start',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AlterField(
            model_name='syncmeeting',
            name='date',
            field=models.DateField(validators=[django.core.validators.MinValueValidator(datetime.date(1900, 1, 1), message='Enter a date on or after 1900-01-01.'), django.core.validators.MaxValueValidator(datetime.date(2199, 12, 31), message='Enter a date on or before 2199-12-31.')]),
        ),
        migrations.AddField(
            model_name='workspace',
            name='currency',
            field=models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('GBP', 'Pound sterling (GBP)'), ('CAD', 'Canadian dollar (CAD)'), ('AUD', 'Australian dollar (AUD)'), ('NZD', 'New Zealand dollar (NZD)'), ('CHF', 'Swiss franc (CHF)'), ('SEK', 'Swedish krona (SEK)'), ('NOK', 'Norwegian krone (NOK)'), ('DKK', 'Danish krone (DKK)'), ('PLN', 'Polish złoty (PLN)'), ('JPY', 'Japanese yen (JPY)'), ('KRW', 'South Korean won (KRW)'), ('SGD', 'Singapore dollar (SGD)'), ('INR', 'Indian rupee (INR)'), ('BRL', 'Brazilian real (BRL)'), ('MXN', 'Mexican peso (MXN)'), ('ZAR', 'South African rand (ZAR)')], default='USD', help_text="The currency of the workspace's money: spend, revenue and CPA.", max_length=3),
        ),
        migrations.AlterField(
            model_name='objective',
            name='marketing_owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='objective',
            name='product_owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='objectivetarget',
            name='scope',
            field=models.CharField(choices=[('workspace', 'Whole workspace'), ('product', 'Product'), ('feature', 'Feature'), ('campaign', 'Campaign'), ('channel', 'Channel')], default='workspace', help_text='What the KPI is measured over: the whole workspace (the default), a product, a feature, a campaign or a channel.', max_length=10),
        ),
        migrations.AlterField(
            model_name='objectivetarget',
            name='scope_id',
            field=models.PositiveIntegerField(blank=True, help_text='The product, feature or campaign id, for those scopes.', null=True),
        ),
        migrations.AlterField(
            model_name='objectivetarget',
            name='scope_value',
            field=models.CharField(blank=True, help_text="The channel's name, for a channel scope: one seen in the workspace's data.", max_length=60),
        ),
        migrations.AlterField(
            model_name='objectivetarget',
            name='target',
            field=models.DecimalField(decimal_places=4, help_text="The value to reach, as the API carries the KPI: a fraction for rates (0.035 is 3.5%), a ratio for ROAS, an amount in the workspace's currency for money, a score for NPS. For totals (spend, revenue, visits, purchases) the whole period's: while it runs, the share of it gone is due.", max_digits=16),
        ),
        migrations.AddField(
            model_name='feature',
            name='external_refs',
            field=models.JSONField(blank=True, default=list, help_text='Jira/Linear keys or github:owner/repo references; their release releases it.', validators=[alignment.models.validate_external_refs]),
        ),
        alignment.search.operations.CreateSearchWords(
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='claim',
            fields=(('headline', 'A'), ('body', 'B'), ('proof_point', 'B')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='handoffdocument',
            fields=(('title', 'A'), ('body', 'B')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='product',
            fields=(('name', 'A'), ('description', 'B')),
        ),
        alignment.search.operations.AddSearchIndex(
            model_name='feature',
            fields=(('name', 'A'), ('description', 'B'), ('anticipated_value', 'C')),
        ),
    ]
