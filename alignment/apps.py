from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment (core)"

    def ready(self):
        from alignment import lookups  # noqa: F401  (registers the bounded integer lookups)
        from alignment.tenancy import connect_link_guards

        connect_link_guards()
