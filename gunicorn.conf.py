"""gunicorn's settings for every server of the app (the image, docker compose, `make load`
and the reliability tests): gunicorn reads ./gunicorn.conf.py from the directory it
starts in, the repository root. Command-line flags (--bind, --workers) still apply.

gthread workers keep client connections alive between requests, which sync workers do not.
Each serves GUNICORN_THREADS requests at once (default 1). A request here spends most of its
time in Python, not waiting for PostgreSQL or Redis, so threads of one process mostly wait
for each other's GIL: under `make load`, 4 threads per worker spent 20-25 % more CPU per
request than 1 and answered 25-35 % fewer requests (docs/load.md). Scale with processes
(--workers); raise GUNICORN_THREADS only where requests wait on something slow. Every thread
holds its own persistent database connection (DB_CONN_MAX_AGE).

Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections
over them. On one shared socket whichever worker is awake takes them, and a kept-alive
connection stays with the worker that took it: under load one worker was seen serving 46
of 50 clients while the other served 4, which doubled those 46 clients' response times
(docs/load.md).

Each worker freezes what it holds once the app is loaded (gc.freeze): the ~120,000 objects
of Django, the URLconf and the settings live as long as the worker, yet every full garbage
collection walked them all, a pause of 70-95 ms that held every request of that worker.
Only what requests create is collected now: the pauses fall to 3-12 ms (docs/load.md).
"""

import gc
import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
reuse_port = True
# No gunicornc management socket: nothing here uses it, and every gunicorn of one user would
# share its one path ($HOME/.gunicorn/gunicorn.ctl), each new server taking it from the last.
control_socket_disable = True


def post_worker_init(worker):
    from django.urls import get_resolver

    # Imports every view, serializer and form, as the first request would.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    worker.log.info("Froze %d start-up objects out of garbage collection", gc.get_freeze_count())
