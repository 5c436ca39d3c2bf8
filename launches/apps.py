from django.apps import AppConfig


class LaunchesConfig(AppConfig):
    name = "launches"

    def ready(self):
        from alignment.signals import workspace_created

        workspace_created.connect(_seed_default_templates, dispatch_uid="launches-templates")


def _seed_default_templates(sender, *, actor, workspace, **kwargs):
    """A new workspace starts with the default launch templates, so a first launch can be
    planned right away."""
    from launches.services import launch_template_seed_defaults

    launch_template_seed_defaults(actor=actor, workspace=workspace)
