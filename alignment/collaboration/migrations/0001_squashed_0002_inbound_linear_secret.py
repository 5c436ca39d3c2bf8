"""Events, notifications, comments and webhooks: the squash of
0001_initial..0002_inbound_linear_secret (see docs/operations.md, Upgrading)."""

import alignment.collaboration.models.hooks
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('collaboration', '0001_initial'), ('collaboration', '0002_inbound_linear_secret')]

    initial = True

    dependencies = [
        ('alignment', '0002_squashed_0008_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('claim.submitted', 'Claim submitted for review'), ('claim.reviewed', 'Claim reviewed'), ('document.submitted', 'Document submitted for review'), ('document.reviewed', 'Document reviewed'), ('feedback.created', 'Feedback from the other team'), ('feedback.answered', 'Feedback answered'), ('comment.created', 'New comment'), ('member.mentioned', 'You were mentioned'), ('diagnosis.opened', 'Diagnosis opened'), ('diagnosis.resolved', 'Diagnosis resolved'), ('launch.at_risk', 'Launch at risk'), ('launch.on_track', 'Launch back on track'), ('launch_task.assigned', 'Launch task assigned'), ('launch_task.overdue', 'Launch task overdue'), ('import.finished', 'Import finished'), ('import.failed', 'Import failed'), ('feature.released', 'Feature released'), ('objective.off_track', 'Objective off track'), ('ping', 'Test event')], max_length=40)),
                ('subject_type', models.CharField(blank=True, max_length=40)),
                ('subject_id', models.BigIntegerField(blank=True, null=True)),
                ('subject_label', models.CharField(blank=True, max_length=200)),
                ('url', models.CharField(blank=True, help_text="The subject's page.", max_length=300)),
                ('message', models.CharField(max_length=400)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('recipient_ids', models.JSONField(blank=True, default=list)),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('fanned_out_at', models.DateTimeField(blank=True, null=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-occurred_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='InboundDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('github', 'GitHub'), ('jira', 'Jira'), ('linear', 'Linear')], max_length=8)),
                ('event', models.CharField(blank=True, max_length=60)),
                ('outcome', models.CharField(choices=[('applied', 'Released features'), ('ignored', 'Nothing to do'), ('unknown', 'Unknown reference')], max_length=8)),
                ('references', models.JSONField(blank=True, default=list)),
                ('released_feature_ids', models.JSONField(blank=True, default=list)),
                ('detail', models.CharField(blank=True, max_length=500)),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-received_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='InboundHook',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret', models.CharField(default=alignment.collaboration.models.hooks.new_secret, max_length=64)),
                ('rotated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('email', models.CharField(choices=[('pending', 'To send now'), ('digest', 'In the next digest'), ('sent', 'Sent'), ('off', 'Not mailed')], default='off', max_length=10)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='collaboration.event')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('claim.submitted', 'Claim submitted for review'), ('claim.reviewed', 'Claim reviewed'), ('document.submitted', 'Document submitted for review'), ('document.reviewed', 'Document reviewed'), ('feedback.created', 'Feedback from the other team'), ('feedback.answered', 'Feedback answered'), ('comment.created', 'New comment'), ('member.mentioned', 'You were mentioned'), ('diagnosis.opened', 'Diagnosis opened'), ('diagnosis.resolved', 'Diagnosis resolved'), ('launch.at_risk', 'Launch at risk'), ('launch.on_track', 'Launch back on track'), ('launch_task.assigned', 'Launch task assigned'), ('launch_task.overdue', 'Launch task overdue'), ('import.finished', 'Import finished'), ('import.failed', 'Import failed'), ('feature.released', 'Feature released'), ('objective.off_track', 'Objective off track'), ('ping', 'Test event')], max_length=40)),
                ('delivery', models.CharField(choices=[('immediately', 'Immediately'), ('digest', 'Daily digest'), ('off', 'Off')], max_length=12)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='WebhookSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500)),
                ('events', models.JSONField(default=list, help_text='Event kinds to send.')),
                ('format', models.CharField(choices=[('json', 'JSON (signed)'), ('slack', 'Slack incoming webhook')], default='json', max_length=8)),
                ('secret', models.CharField(default=alignment.collaboration.models.hooks.new_secret, max_length=64)),
                ('active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('delivery_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('delivered', 'Delivered'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('error', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collaboration.event')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
                ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='collaboration.webhooksubscription')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Comment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_type', models.CharField(max_length=40)),
                ('subject_id', models.BigIntegerField()),
                ('body', models.TextField(max_length=10000)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentions', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='alignment.workspace')),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['workspace', 'subject_type', 'subject_id', 'created_at'], name='collaborati_workspa_ae1e4e_idx')],
            },
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['workspace', '-occurred_at'], name='collaborati_workspa_6fd722_idx'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('fanned_out_at__isnull', True)), fields=['occurred_at'], name='event_pending_fan_out'),
        ),
        migrations.AddConstraint(
            model_name='inboundhook',
            constraint=models.UniqueConstraint(fields=('workspace',), name='inbound_hook_once'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['recipient', 'workspace', '-created_at'], name='collaborati_recipie_018883_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient', 'workspace'], name='notification_unread'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('email__in', ['pending', 'digest'])), fields=['email', 'recipient'], name='notification_email_due'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(fields=('event', 'recipient'), name='notification_once'),
        ),
        migrations.AddConstraint(
            model_name='notificationpreference',
            constraint=models.UniqueConstraint(fields=('user', 'kind'), name='notification_preference_once'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='webhook_delivery_due'),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('subscription', 'event'), name='webhook_delivery_once'),
        ),
        migrations.AddField(
            model_name='inboundhook',
            name='linear_secret',
            field=models.CharField(blank=True, help_text="Linear makes each webhook's signing secret itself: paste it here.", max_length=200),
        ),
    ]
