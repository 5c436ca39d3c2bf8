from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "alignment.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alignment.collaboration import subjects

        subjects.register_core()
