from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from alignment import measures
        from metrics.kpis import targets

        measures.register(targets)  # objectives (in the core) reach the KPI engine here
        from metrics import portability

        portability.register_models()
