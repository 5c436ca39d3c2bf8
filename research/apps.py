from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"

    def ready(self):
        from alignment import demo
        from alignment.collaboration import subjects
        from alignment.portability import register
        from research.demo import seed
        from research.demo import seed_subjects
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
        # The demo (alignment.demo): the personas and competitors the core's messaging
        # cites, before it; then the rest of research's content.
        demo.register(seed_subjects, stage=demo.Stage.SUBJECTS)
        demo.register(seed, stage=demo.Stage.CONTENT)
