from django.apps import AppConfig


class LaunchesConfig(AppConfig):
    name = "launches"

    def ready(self):
        from alignment.portability import register
        from alignment.signals import workspace_created

        workspace_created.connect(_seed_default_templates, dispatch_uid="launches-templates")
        # A member's secret calendar-feed URL is a credential: never in an archive.
        register("launches.CalendarFeed", exported=False)


def _seed_default_templates(sender, *, actor, workspace, **kwargs):
    """A new workspace starts with the default launch templates, so a first launch can be
    planned right away."""
    from launches.services import launch_template_seed_defaults

    launch_template_seed_defaults(actor=actor, workspace=workspace)
