"""gunicorn's settings for every server of the app (the image, docker compose, `make load`
and the reliability tests): gunicorn reads ./gunicorn.conf.py from the directory it
starts in, the repository root. Command-line flags (--bind, --workers) still apply.

A request spends much of its time waiting for PostgreSQL and Redis, so each worker process
serves GUNICORN_THREADS requests at once (gthread): another request runs while one waits.
Threads also keep client connections alive between requests, which sync workers do not.
Every thread holds its own persistent database connection (DB_CONN_MAX_AGE).
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
