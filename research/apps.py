from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"

    def ready(self):
        from alignment.collaboration import subjects

        # Comments on an insight or an opportunity reach whoever wrote it down.
        subjects.register(
            "insight", "research.Insight", followers=lambda insight: [insight.created_by_id]
        )
        subjects.register(
            "opportunity",
            "research.Opportunity",
            followers=lambda opportunity: [opportunity.created_by_id],
        )
