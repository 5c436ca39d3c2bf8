from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "alignment.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alignment import demo
        from alignment.collaboration import subjects
        from alignment.collaboration.demo import seed as seed_demo
        from alignment.portability import register
        from alignment.portability.refs import DROP
        from alignment.portability.refs import IdRef

        subjects.register_core()
        # The demo's conversation, on the core's messaging (alignment.demo).
        demo.register(seed_demo, stage=demo.Stage.CORE)
        # Comments are the workspace's content; the rest is delivery bookkeeping, and
        # subscriptions and the inbound secret hold credentials: never in an archive.
        register(
            "collaboration.Comment",
            refs=(
                IdRef("subject_id", kind="subject_type", to=subjects.model_labels, missing=DROP),
            ),
        )
        for label in (
            "collaboration.Event",
            "collaboration.Notification",
            "collaboration.WebhookSubscription",
            "collaboration.WebhookDelivery",
            "collaboration.InboundHook",
            "collaboration.InboundDelivery",
        ):
            register(label, exported=False)
