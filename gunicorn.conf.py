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
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
reuse_port = True
