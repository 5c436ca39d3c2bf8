"""gunicorn's settings for every server of the app (the image, docker compose, `make load`
and the reliability tests): gunicorn reads ./gunicorn.conf.py from the directory it
starts in, the repository root. Command-line flags (--bind, --workers) still apply.

A request spends much of its time waiting for PostgreSQL and Redis, so each worker process
serves GUNICORN_THREADS requests at once (gthread): another request runs while one waits.
Threads also keep client connections alive between requests, which sync workers do not.
Every thread holds its own persistent database connection (DB_CONN_MAX_AGE).

Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections
over them. On one shared socket whichever worker is awake takes them, and a kept-alive
connection stays with the worker that took it: under load one worker was seen serving 46
of 50 clients while the other served 4, which doubled those 46 clients' response times
(docs/load.md).
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
reuse_port = True
