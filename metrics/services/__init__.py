"""Writes of the metrics app: import jobs, column mappings, background runs, dashboard
snapshots and diagnoses.

Callers use `from metrics import services` and `services.<entity>_<verb>(...)`; the
modules split the rules by sub-domain. A test that replaces a function a module calls
internally patches it where it is used (`metrics.services.imports`), not here.
"""

from metrics.services._common import _heartbeat
from metrics.services.background_runs import RUN_WORKER_STOPPED
from metrics.services.background_runs import background_run_enqueue
from metrics.services.background_runs import background_run_lease
from metrics.services.background_runs import background_run_request
from metrics.services.background_runs import background_runs_sweep
from metrics.services.dashboard import ANALYZE_AFTER_ROWS
from metrics.services.dashboard import FACT_TABLES
from metrics.services.dashboard import dashboard_recompute
from metrics.services.dashboard import facts_analyze_if_stale
from metrics.services.diagnostics import diagnosis_set_state
from metrics.services.diagnostics import diagnosis_to_feedback
from metrics.services.diagnostics import diagnostics_digest_send
from metrics.services.diagnostics import diagnostics_run
from metrics.services.diagnostics import diagnosticsettings_update
from metrics.services.import_files import import_files_prune
from metrics.services.import_files import import_files_release
from metrics.services.import_queue import RETRYING_WORKER_STOPPED
from metrics.services.import_queue import WAITING_FOR_WORKER
from metrics.services.import_queue import import_job_enqueue
from metrics.services.import_queue import import_job_retry
from metrics.services.import_queue import import_jobs_requeue_stale
from metrics.services.import_queue import import_jobs_sweep
from metrics.services.import_runs import import_job_give_up
from metrics.services.import_runs import import_job_run
from metrics.services.imports import JSON_MAX_ROWS
from metrics.services.imports import import_job_create
from metrics.services.imports import import_job_create_from_path
from metrics.services.imports import import_rows
from metrics.services.imports import max_import_size
from metrics.services.mappings import columnmapping_create
from metrics.services.mappings import columnmapping_update
