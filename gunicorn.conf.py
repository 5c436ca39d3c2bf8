"""gunicorn's settings for every server of the app (the image, docker compose, `make load`,
the reliability tests), read from the repository root; command-line flags still apply.
Each tweak below keeps its place by a measurement, named next to it (docs/benchmarks.md)."""

import gc
import os

# Keeps client connections alive between requests (sync workers do not). Scale with
# --workers: 4 threads per worker cost 20-25 % more CPU per request under `make load`.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A socket per worker, spread by the kernel: on one shared socket one worker served 46 of
# 50 kept-alive clients under `make load`, doubling their response times.
reuse_port = True
# No management socket: unused, and every gunicorn of one user would share its one path.
control_socket_disable = True


def post_worker_init(worker):
    from django.urls import get_resolver

    # Import every view, serializer and form, as the first request would, then freeze
    # them out of the collector: p99.9 of 2,000 in-process requests 104-130 ms -> 38-44 ms.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    worker.log.info("Froze %d start-up objects out of garbage collection", gc.get_freeze_count())
