"""`make load`: gunicorn (2 worker processes, configured by gunicorn.conf.py like every
server of the app) on PostgreSQL and Redis under 50 concurrent clients (wrk), on loopback
only, for a bounded time.

Phases: a mix of the dashboard page, the dashboard and kpis/ API and three list endpoints
(imports/, launches/, products/) for LOAD_SECONDS (60); then the dashboard page alone and
/healthz alone (the machine's ceiling) for LOAD_CEILING_SECONDS (20) each. Prints
requests/s, p50/p95/p99, errors and the CPU the web workers and PostgreSQL spent per
request in each phase and how many clients each worker held half-way through it, and
checks the targets of issue 10: no errors, dashboard throughput at least half of
/healthz's, p95 under 250 ms.

The clients are LOAD_USERS (50) members of the demo workspace, each with a session and an
API token: the requests go round them, so no one user's API rate limit is what is measured.
The server's cache is Redis (LOAD_CACHE_URL), as in production: sessions, throttling.

Environment: LOAD_ROWS campaign and usage rows (default 100,000; `make bench` uses
1,000,000), LOAD_CLIENTS (50), LOAD_USERS, LOAD_SECONDS, LOAD_CEILING_SECONDS,
LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tandem_load), LOAD_CACHE_URL
(default redis://127.0.0.1:6379/1), GUNICORN_THREADS (gunicorn.conf.py). Needs `wrk`
(apt-get install wrk). The data is seeded once and idempotently: a second run reuses it.
"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tandem_load"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/1"
P95_TARGET_MS = 250

LUA = """
local paths = %(paths)s
local users = %(users)s
local n = 0
request = function()
  -- Each user in turn sends the whole list of paths.
  local path = paths[n %% #paths + 1]
  local user = users[math.floor(n / #paths) %% #users + 1]
  n = n + 1
  return wrk.format("GET", path, {
    ["Authorization"] = "Token " .. user[1], ["Cookie"] = "sessionid=" .. user[2]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def seed() -> None:
    """Runs inside Django (`python -m tests.reliability.load seed`): bench-sized facts in
    the demo workspace, its snapshot, and LOAD_USERS members with a session and a token."""
    from importlib import import_module

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alignment.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from alignment.demo import DEMO_USERS
    from alignment.demo import DEMO_WORKSPACE
    from alignment.models import Membership
    from alignment.models import Role
    from alignment.models import Workspace
    from alignment.services import invitation_accept
    from alignment.services import invitation_create
    from alignment.services import token_get_or_create
    from metrics import services
    from metrics.models import ImportJob
    from tests.perf.bench import campaign_rows
    from tests.perf.bench import usage_rows
    from tests.perf.bench import write

    # Seeded once: a second run finds the same rows (and the same list of imports to serve).
    if not Workspace.objects.filter(slug=DEMO_WORKSPACE["slug"]).exists():
        call_command("seed_demo")
    rows = int(os.environ.get("LOAD_ROWS", "100000"))
    workspace = Workspace.objects.get(slug=DEMO_WORKSPACE["slug"])
    admin = get_user_model().objects.get(username=DEMO_USERS[0][0])
    with tempfile.TemporaryDirectory() as directory:
        for kind, lines in (("campaign", campaign_rows(rows)), ("usage", usage_rows(rows))):
            name = f"load-{kind}-{rows}.csv"
            done = ImportJob.objects.in_workspace(workspace).filter(
                original_name=name, status=ImportJob.Status.SUCCEEDED
            )
            if done.exists():
                continue
            path = write(Path(directory) / name, lines)
            job = services.import_job_create_from_path(
                path=path,
                actor=admin,
                workspace=workspace,
                kind=kind,
                source="command",
                enqueue=False,
            )
            services.import_job_run(job=job)
            print(f"{kind}: {job.message}", file=sys.stderr)
    services.dashboard_recompute(workspace=workspace)
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    users = []
    for number in range(int(os.environ.get("LOAD_USERS", "50"))):
        user, created = get_user_model().objects.get_or_create(username=f"load-{number:02d}")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Membership.objects.filter(user=user, workspace=workspace).exists():
            invitation = invitation_create(
                actor=admin, workspace=workspace, username=user.username, role=Role.PM
            )
            invitation_accept(actor=user, invitation=invitation)
        session = session_store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        users.append([token_get_or_create(user=user).key, session.session_key])
    print(json.dumps({"users": users, "slug": workspace.slug}))


def _processes() -> dict[int, tuple[str, int, float, float]]:
    """Every process: (command, parent, its own CPU seconds, its reaped children's), from
    /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command, rest = stat.read_text().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = rest.split()  # from the state on: ppid is [1], utime..cstime are [11:15]
        own = (int(fields[11]) + int(fields[12])) / tick
        reaped = (int(fields[13]) + int(fields[14])) / tick
        processes[int(stat.parent.name)] = (command.split("(", 1)[1], int(fields[1]), own, reaped)
    return processes


def _server_cpu_seconds(master: int) -> tuple[float, dict[int, float]]:
    """CPU spent so far by gunicorn (`master` and its workers), and by each PostgreSQL
    cluster (its postmaster and backends) keyed by the postmaster's pid. A child that exits
    is counted in its parent's reaped time, so connections closed and reopened during a
    phase (DB_CONN_MAX_AGE) still count."""
    processes = _processes()

    def tree(root: int) -> float:
        _, _, own, reaped = processes.get(root, ("", 0, 0.0, 0.0))
        children = (p for p in processes.values() if p[1] == root)
        return own + reaped + sum(child[2] + child[3] for child in children)

    postmasters = [
        pid
        for pid, (command, parent, _, _) in processes.items()
        if command == "postgres" and processes.get(parent, ("",))[0] != "postgres"
    ]
    return tree(master), {pid: tree(pid) for pid in postmasters}


def tcp_sockets(port: int, state: str) -> set[str]:
    """Inodes of this machine's TCP sockets on local `port` in `state` (hex, as in
    /proc/net/tcp: "0A" listening, "01" established)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def sockets_of(pid: int) -> set[str]:
    """Inodes of the sockets process `pid` holds open."""
    inodes = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:
        return inodes
    for fd in descriptors:
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def workers_of(master: int) -> list[int]:
    """The process ids of `master`'s children (gunicorn's workers)."""
    return [pid for pid, process in _processes().items() if process[1] == master]


def clients_per_worker(master: int, port: int) -> list[int]:
    """How many client connections each worker of `master` holds, most first. A kept-alive
    connection stays with its worker, so an uneven spread is uneven response times."""
    established = tcp_sockets(port, "01")
    return sorted((len(sockets_of(pid) & established) for pid in workers_of(master)), reverse=True)


def _measured(run, master: int) -> dict:
    """`run()`'s figures plus the CPU the web workers and PostgreSQL spent per request:
    steadier than requests/s on a shared machine, where other work takes cores away."""
    web_before, db_before = _server_cpu_seconds(master)
    result = run()
    web_after, db_after = _server_cpu_seconds(master)
    # Only clusters up for the whole phase: one that stops or starts meanwhile (a fault
    # test's private cluster) would take its whole CPU out of the sum or add it in.
    db = sum(db_after[pid] - db_before[pid] for pid in db_before.keys() & db_after.keys())
    per_request = 1000 / max(result["requests"], 1)
    result["web_cpu_ms"] = (web_after - web_before) * per_request
    result["db_cpu_ms"] = db * per_request
    return result


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wrk(url: str, paths: list[str], users: list, *, seconds: int, clients: int) -> dict:
    lua = LUA % {
        "paths": "{" + ", ".join(json.dumps(path) for path in paths) + "}",
        "users": "{"
        + ", ".join(f"{{{json.dumps(token)}, {json.dumps(session)}}}" for token, session in users)
        + "}",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        result = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
             "-s", script.name, url],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    raw = json.loads(line.removeprefix("RESULT "))
    errors = sum(raw[name] for name in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50"] / 1000,
        "p95": raw["p95"] / 1000,
        "p99": raw["p99"] / 1000,
        "requests": raw["requests"],
        "errors": errors,
    }


def main() -> int:
    import redis
    import requests

    from tests.workers import WebServer

    if shutil.which("wrk") is None:
        print("make load needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    clients = int(os.environ.get("LOAD_CLIENTS", "50"))
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    ceiling_seconds = int(os.environ.get("LOAD_CEILING_SECONDS", "20"))
    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    cache_url = os.environ.get("LOAD_CACHE_URL", DEFAULT_CACHE_URL)
    try:
        redis.Redis.from_url(cache_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        print(f"make load needs Redis at LOAD_CACHE_URL={cache_url}: {error}", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
    }
    env.pop("CELERY_BROKER_URL", None)  # seeding runs the imports in-process

    from tests.perf.bench import ensure_database

    ensure_database(database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.reliability.load", "seed"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    print(seeded.stderr.strip())
    auth = json.loads(seeded.stdout.strip().splitlines()[-1])
    api = f"/api/v1/workspaces/{auth['slug']}/"
    page = f"/w/{auth['slug']}/metrics/"
    mix = [
        page,
        f"{api}dashboard/",
        f"{api}kpis/?kpi=roas&granularity=week",
        f"{api}imports/",
        f"{api}launches/",
        f"{api}products/",
    ]
    with tempfile.TemporaryDirectory() as directory:
        web = WebServer(env=env, log=Path(directory) / "gunicorn.log", workers=2)
        try:
            web.wait_ready()
            users = auth["users"]
            token, session = users[0]
            headers = {"Authorization": f"Token {token}"}
            cookies = {"sessionid": session}
            for path in mix:  # every target answers 200 before we measure it
                response = requests.get(
                    web.url + path, headers=headers, cookies=cookies, timeout=30,
                    allow_redirects=False,
                )  # fmt: skip
                if response.status_code != 200:
                    print(f"{path} answered {response.status_code}", file=sys.stderr)
                    return 1
            phases = {
                "mix": (mix, seconds),
                "dashboard": ([page], ceiling_seconds),
                "healthz": (["/healthz"], ceiling_seconds),
            }
            results = {}
            for name, (paths, length) in phases.items():
                spread: list[int] = []  # sampled half-way, when every client is connected
                sample = threading.Timer(
                    length / 2,
                    lambda out=spread: out.extend(clients_per_worker(web.process.pid, web.port)),
                )
                sample.start()
                results[name] = _measured(
                    lambda paths=paths, length=length: _wrk(
                        web.url, paths, users, seconds=length, clients=clients
                    ),
                    web.process.pid,
                )
                sample.join()
                results[name]["clients"] = "/".join(map(str, spread))
        finally:
            web.stop()
    rows = os.environ.get("LOAD_ROWS", "100000")
    threads = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["threads"]
    print(
        f"\n{clients} clients ({len(users)} users), gunicorn 2 workers x {threads} threads, "
        f"LOAD_ROWS={rows}"
    )
    print(f"{'phase':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'requests':>9} {'errors':>7} {'web CPU ms/req':>15} "
          f"{'db CPU ms/req':>14} {'clients/worker':>15}")  # fmt: skip
    for name, r in results.items():
        print(
            f"{name:<10} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{r['requests']:>9} {r['errors']:>7} {r['web_cpu_ms']:>15.2f} {r['db_cpu_ms']:>14.2f}"
            f" {r['clients']:>15}"
        )
    ratio = results["dashboard"]["rps"] / results["healthz"]["rps"]
    checks = {
        "no errors": all(r["errors"] == 0 for r in results.values()),
        f"dashboard >= half of /healthz ({ratio:.2f})": ratio >= 0.5,
        f"p95 < {P95_TARGET_MS} ms (mix, dashboard)": max(
            results["mix"]["p95"], results["dashboard"]["p95"]
        )
        < P95_TARGET_MS,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    return 0 if checks["no errors"] else 1


if __name__ == "__main__":
    sys.exit(seed() if sys.argv[1:] == ["seed"] else main())
