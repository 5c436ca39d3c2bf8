from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from alignment import demo
        from alignment import measures
        from alignment.collaboration import subjects
        from metrics.demo import seed as seed_demo
        from metrics.kpis import targets

        measures.register(targets)  # objectives (in the core) reach the KPI engine here
        from metrics import portability

        portability.register_models()
        subjects.register("diagnosis", "metrics.Diagnosis", followers=_team_of)
        subjects.register("import", "metrics.ImportJob", followers=_creator_of, commentable=False)
        _connect_feature_released()
        _connect_import_job_deleted()
        # Its part of the demo, after launches (it imports data about their campaigns).
        demo.register(seed_demo, stage=demo.Stage.CONTENT)


def _team_of(diagnosis) -> list[int]:
    from alignment.collaboration.recipients import team_member_ids

    return team_member_ids(diagnosis.workspace_id, diagnosis.team)


def _creator_of(job) -> list[int]:
    return [job.created_by_id]


def _connect_feature_released() -> None:
    from alignment.signals import feature_released

    feature_released.connect(_diagnose_after_release, dispatch_uid="metrics-diagnose-release")


def _diagnose_after_release(sender, *, workspace_id, **kwargs):
    """A feature released (sent after its transaction committed): run the workspace's
    diagnostics, so the claims it now supports stop being flagged (unsupported_claim
    resolves). Requested as a background run: the run row is the outbox, so a broker down
    now only delays it, and a burst of releases costs one run."""
    from metrics.models import BackgroundRun
    from metrics.services import background_run_request

    background_run_request(workspace_id=workspace_id, kind=BackgroundRun.Kind.DIAGNOSTICS)


def _connect_import_job_deleted() -> None:
    from django.db.models.signals import post_delete

    from metrics.models import ImportJob

    post_delete.connect(_release_import_files, sender=ImportJob, dispatch_uid="import-files")


def _release_import_files(sender, instance, **kwargs):
    """A job deleted (in the admin, or with its workspace) takes its files with it, once the
    deletion committed and unless another job names them."""
    from metrics.services import import_files_release

    import_files_release(names=[instance.file.name, instance.errors_file.name])
