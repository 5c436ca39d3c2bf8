from django.apps import AppConfig


class LaunchesConfig(AppConfig):
    name = "launches"

    def ready(self):
        from alignment import demo
        from alignment.collaboration import subjects
        from alignment.portability import register
        from alignment.signals import workspace_created
        from launches.demo import seed as seed_demo

        workspace_created.connect(_seed_default_templates, dispatch_uid="launches-templates")
        _register_search_kinds()
        # A member's secret calendar-feed URL is a credential: never in an archive.
        register("launches.CalendarFeed", exported=False)
        # A launch's comments reach whoever planned it; a task's news, its assignee.
        subjects.register(
            "launch", "launches.Launch", followers=lambda launch: [launch.created_by_id]
        )
        subjects.register(
            "launch_task",
            "launches.LaunchTask",
            followers=lambda task: [task.assignee_id],
            commentable=False,
        )
        demo.register(seed_demo, stage=demo.Stage.CONTENT)  # its part of the demo


def _register_search_kinds():
    """Launches and campaigns in the workspace's one search (alignment.search)."""
    from alignment.search import SearchKind
    from alignment.search import register

    register(SearchKind("launch", "Launches", "launches.Launch", (("name", "A"), ("goals", "B"))))
    register(
        SearchKind("campaign", "Campaigns", "launches.Campaign", (("name", "A"), ("channel", "C")))
    )


def _seed_default_templates(sender, *, actor, workspace, **kwargs):
    """A new workspace starts with the default launch templates, so a first launch can be
    planned right away."""
    from launches.services import launch_template_seed_defaults

    launch_template_seed_defaults(actor=actor, workspace=workspace)
