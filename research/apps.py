from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"

    def ready(self):
        from alignment.collaboration import subjects
        from alignment.portability import register
        from research.search import register_search_kinds

        register_search_kinds()  # insights, highlights, tags … in the top bar's search
        # Embeddings are derived from the insights' text: recomputed, never archived.
        register("research.InsightEmbedding", exported=False)

        # Comments on an insight or an opportunity reach whoever wrote it down.
        subjects.register(
            "insight", "research.Insight", followers=lambda insight: [insight.created_by_id]
        )
        subjects.register(
            "opportunity",
            "research.Opportunity",
            followers=lambda opportunity: [opportunity.created_by_id],
        )
