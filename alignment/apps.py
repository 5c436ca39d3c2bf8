from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment (core)"

    def ready(self):
        from alignment import lookups  # noqa: F401  (registers the bounded integer lookups)
        from alignment.demo import Stage, register
        from alignment.messaging.demo import seed as seed_messaging_demo
        from alignment.tenancy import connect_link_guards

        connect_link_guards()
        register(seed_messaging_demo, stage=Stage.CORE)  # the demo's messaging
