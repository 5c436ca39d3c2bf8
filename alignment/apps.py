from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment (core)"

    def ready(self):
        from alignment import lookups  # noqa: F401  (registers the bounded integer lookups)
