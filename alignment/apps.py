from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment (core)"

    def ready(self):
        from django.db.models.signals import pre_migrate

        from alignment import lookups  # noqa: F401  (registers the bounded integer lookups)
        from alignment.demo import Stage
        from alignment.demo import register
        from alignment.messaging.demo import seed as seed_messaging_demo
        from alignment.tenancy import connect_link_guards
        from alignment.upgrades import refuse_partly_applied

        connect_link_guards()
        pre_migrate.connect(refuse_partly_applied, sender=self)
        register(seed_messaging_demo, stage=Stage.CORE)  # the demo's messaging
        _register_search_kinds()


def _register_search_kinds():
    """Claims, documents, products and features in the workspace's one search (registered
    first: equal ranks keep this order)."""
    from alignment.search import SearchKind
    from alignment.search import register

    register(
        SearchKind(
            "claim",
            "Claims",
            "alignment.Claim",
            (("headline", "A"), ("body", "B"), ("proof_point", "B")),
            markdown=("body",),
        )
    )
    register(
        SearchKind(
            "document",
            "Documents",
            "alignment.HandoffDocument",
            (("title", "A"), ("body", "B")),
            markdown=("body",),
        )
    )
    register(
        SearchKind(
            "product", "Products", "alignment.Product", (("name", "A"), ("description", "B"))
        )
    )
    register(
        SearchKind(
            "feature",
            "Features",
            "alignment.Feature",
            (("name", "A"), ("description", "B"), ("anticipated_value", "C")),
            select_related=("workspace", "product"),
            title=lambda feature: str(feature),
        )
    )
