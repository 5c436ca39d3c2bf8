"""Events of the core that other apps act on, connected from their AppConfig.ready: the
apps import alignment and alignment imports none of them, yet a new workspace still
starts with what each app gives it (launches: the default launch templates)."""

from django.dispatch import Signal

# Sent inside workspace_create's transaction, after the creator's membership exists;
# arguments: actor, workspace. A receiver that raises undoes the workspace.
workspace_created = Signal()

# Sent after the commit that released a feature (feature_release, or a status change to
# released); arguments: workspace_id, feature_id. Metrics re-runs its diagnostics on it.
feature_released = Signal()
