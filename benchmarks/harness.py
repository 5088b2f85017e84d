"""The production layout of docs/operations.md, started on 127.0.0.1 for benchmarks and tests.

Pieces, each a process started here and stopped by its PID:

* `site_env()` / `prepare_site()`: a data directory and database made ready the way
  `make setup` does (migrate, collectstatic, a superuser, the demo paper);
* `app_server()`: granian as `make serve` starts it, gunicorn (gthread) or uvicorn (ASGI);
* `make_run()`: `make run` itself (setup, the task worker, granian under supervise.py);
* `Nginx`: the deploy/nginx configuration, its paths and ports rewritten into a temporary
  prefix (nginx runs with `-p` and `-c` there, never as the machine's nginx);
* `PrivateRedis` / `PrivatePostgres`: throwaway instances for scenarios that kill or freeze
  them, so the shared services on 6379 and 5432 are never touched.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEPLOY = ROOT / "deploy"
NGINX_MODULES = Path("/usr/lib/nginx/modules")

#: granian as `make run` and `make serve` start it (Makefile, GRANIAN_FLAGS).
GRANIAN_FLAGS = [
    "--interface", "wsgi", "--workers", "2", "--blocking-threads", "8",
    "--backpressure", "1024", "--backlog", "2048", "--http1-header-read-timeout", "5000",
    "--respawn-failed-workers",
]  # fmt: skip


def makefile_granian_flags() -> list[str]:
    """GRANIAN_FLAGS as the Makefile has them today (host and port left out)."""
    out = subprocess.run(
        ["make", "-s", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    line = next((x for x in out.splitlines() if "granian" in x), "")
    flags = line.split("granian", 1)[-1].split()[:-1]
    cleaned, skip = [], False
    for flag in flags:
        if skip:
            skip = False
        elif flag in ("--host", "--port"):
            skip = True
        else:
            cleaned.append(flag)
    return cleaned or GRANIAN_FLAGS


def server_command(kind: str, port: int, workers: int = 2, threads: int = 8) -> list[str]:
    """The command line of one app server kind, listening on 127.0.0.1:port."""
    if kind == "granian":
        flags = makefile_granian_flags()
        flags = _replace(flags, "--workers", str(workers))
        flags = _replace(flags, "--blocking-threads", str(threads))
        return [str(BIN / "granian"), *flags, "--host", "127.0.0.1", "--port", str(port),
                "jarida.wsgi:application"]  # fmt: skip
    if kind == "gunicorn":
        return [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"),
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--threads", str(threads), "jarida.wsgi:application"]  # fmt: skip
    if kind == "uvicorn":
        return [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--no-access-log", "--timeout-keep-alive", "5",
                "jarida.asgi:application"]  # fmt: skip
    raise ValueError(kind)


def _replace(flags: list[str], name: str, value: str) -> list[str]:
    if name in flags:
        flags = list(flags)
        flags[flags.index(name) + 1] = value
    return flags


#: The back-office password of the benchmarks' throwaway sites (`ensure_superuser` has no
#: default one and refuses a weak one): what `AdminEditor` logs in with.
ADMIN_PASSWORD = "benchmark-editor-7Qm2-kalima"


def site_env(data_dir: Path, database_url: str = "", redis_url: str = "", **extra) -> dict:
    env = os.environ | {
        "JARIDA_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "JARIDA_DATA_DIR": str(data_dir),
        "JARIDA_LOG_LEVEL": "WARNING",
        "JARIDA_SERVE_MEDIA": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=check,
    )  # fmt: skip


def prepare_site(env: dict) -> None:
    """What `make setup` does, for this environment's data directory and database."""
    subprocess.run(
        [str(BIN / "python"), "-m", "jarida.datadir"], cwd=ROOT, env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "ensure_superuser")
    manage(env, "load_demo", "--if-empty")


def wait_http(url: str, timeout: float = 60, headers: dict | None = None) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            urllib.request.urlopen(request, timeout=5).read()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def app_server(kind: str, port: int, env: dict, workers: int = 2, threads: int = 8):
    """Start one app server and wait until it answers; its log goes to the data directory."""
    log = open(Path(env["JARIDA_DATA_DIR"]) / f"{kind}-{port}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        server_command(kind, port, workers, threads), cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    try:
        wait_http(f"http://127.0.0.1:{port}/health/live")
    except OSError:
        stop(process)
        raise SystemExit(f"{kind} on port {port} did not start") from None
    return process


def make_run(port: int, env: dict, timeout: float = 240) -> subprocess.Popen:
    """`make run` on 127.0.0.1:port, as a user starts the embedded site: its setup (migrate,
    collectstatic, the superuser, the demo paper), the task worker when tasks are queued,
    granian under scripts/supervise.py. Waits until it answers; log in the data directory.

    `stop()` ends it: SIGTERM to make's process group reaches the worker (which finishes
    its task) and supervise.py, which passes it on to granian."""
    log = open(Path(env["JARIDA_DATA_DIR"]) / f"make-run-{port}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    try:
        wait_http(f"http://127.0.0.1:{port}/health/live", timeout=timeout)
    except OSError:
        stop(process)
        raise SystemExit(f"make run on port {port} did not start: see {log.name}") from None
    return process


def fetch(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[str, dict]:
    """A page's text and headers, as an anonymous reader gets them."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.read().decode(), dict(answer.headers.items())


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """Stop a process started here (its own process group: the server and its workers)."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGCONT)
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker_pids(process: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


# --- nginx -------------------------------------------------------------------------


def nginx_module_installed(name: str) -> bool:
    return (NGINX_MODULES / f"ngx_http_{name}_module.so").exists()


def render_nginx(
    prefix: Path, port: int, upstreams: list[int], data_dir: Path, policy: str = "micro"
) -> Path:
    """deploy/nginx rewritten for a temporary prefix: returns the main config's path.

    `policy` chooses the page cache policy snippet: "micro" (as shipped) or "app"."""
    snippets = prefix / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    modules = []
    for snippet in (DEPLOY / "nginx" / "snippets").glob("*.conf"):
        text = snippet.read_text()
        module = {"brotli": "brotli_filter", "brotli-static": "brotli_static"}.get(
            snippet.stem, "cache_purge" if snippet.stem == "purge" else None
        )
        if module and not nginx_module_installed(module):
            text = "# module not installed\n"
        elif module:
            modules.append(f"load_module {NGINX_MODULES}/ngx_http_{module}_module.so;")
        (snippets / snippet.name).write_text(text)
    site = (DEPLOY / "nginx" / "jarida.conf").read_text()
    site = site.replace("/var/cache/nginx/jarida", str(prefix / "cache"))
    site = site.replace("/srv/jarida/var", str(data_dir))
    site = site.replace("page-cache-micro.conf", f"page-cache-{policy}.conf")
    site = site.replace("/etc/nginx/snippets/jarida", str(snippets))
    site = site.replace("    listen [::]:80;\n", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port} reuseport backlog=4096;")
    servers = "".join(
        f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in upstreams
    )
    site = re.sub(r"    server 127\.0\.0\.1:8000[^\n]*\n", servers, site)
    (prefix / "conf.d").mkdir(exist_ok=True)
    (prefix / "conf.d" / "jarida.conf").write_text(site)
    main = (DEPLOY / "nginx" / "nginx.conf").read_text()
    main = main.replace("user www-data;", "user root;")
    main = main.replace("worker_processes auto;", "worker_processes 2;")
    # This machine's hard limit on open files is below the shipped 65536.
    main = main.replace("worker_rlimit_nofile 65536;", "worker_rlimit_nofile 19000;")
    main = main.replace("worker_connections 16384;", "worker_connections 9000;")
    main = main.replace("/run/nginx.pid", str(prefix / "nginx.pid"))
    main = main.replace("/var/log/nginx/error.log", str(prefix / "error.log"))
    main = main.replace("access_log /var/log/nginx/access.log;", "access_log off;")
    loads = "\n".join(sorted(set(modules)))
    main = main.replace("include /etc/nginx/modules-enabled/*.conf;", loads)
    main = main.replace("/etc/nginx/conf.d/", str(prefix / "conf.d") + "/")
    config = prefix / "nginx.conf"
    config.write_text(main)
    return config


class Nginx:
    """nginx in front of `upstreams`, on 127.0.0.1:port, in its own temporary prefix."""

    def __init__(self, port: int, upstreams: list[int], data_dir: Path, policy: str = "micro"):
        self.port = port
        self.prefix = Path(tempfile.mkdtemp(prefix="jarida-nginx-"))
        self.config = render_nginx(self.prefix, port, upstreams, data_dir, policy)
        self.process = None

    def command(self, *extra: str) -> list[str]:
        return ["nginx", "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                "-c", str(self.config), *extra]  # fmt: skip

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, text=True)

    def start(self, probe: str | None = "/health/live") -> "Nginx":
        """Start nginx; wait until `probe` answers through it (or, None, until it listens)."""
        checked = self.test_config()
        if checked.returncode:
            raise SystemExit(f"nginx -t failed:\n{checked.stderr}")
        self.process = subprocess.Popen(
            self.command("-g", "daemon off;"), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if probe:
            wait_http(f"http://127.0.0.1:{self.port}{probe}", timeout=20)
            return self
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish requests in flight
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                stop(self.process)
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- private services for fault scenarios ------------------------------------------


class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="jarida-redis-"))
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 10
        while time.time() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.1)
        raise SystemExit("private redis did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        stop(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb in a temporary folder), run as `postgres`."""

    BIN = Path("/usr/lib/postgresql/15/bin")

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="jarida-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/jarida"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            capture_output=True, text=True, check=check, cwd=self.dir,
        )  # fmt: skip

    def init(self) -> "PrivatePostgres":
        self._run(str(self.BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        self.start()
        self._run(str(self.BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", "jarida")  # fmt: skip
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c shared_buffers=64MB"
        )
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.dir / "log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)  # fmt: skip

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- an editor in the back office ---------------------------------------------------


class AdminEditor:
    """A logged-in editor driving the back office over HTTP, as a newsroom does."""

    def __init__(self, base: str, username: str = "admin", password: str = ADMIN_PASSWORD):
        import http.cookiejar

        self.base = base
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies)
        # The same session, answers taken as they come: a publication's POST is timed and
        # acknowledged at its own redirect, not after the change page it leads to.
        self.poster = urllib.request.build_opener(cookies, NoRedirects)
        values = self._form("/admin/login/")
        values.update(username=username, password=password)
        landed = self._post("/admin/login/", values)
        if "/admin/login/" in landed.url:
            raise SystemExit(f"could not log in to {base} as {username}")
        sections = self.opener.open(base + "/admin/articles/section/", timeout=30).read()
        self.section = re.search(rb"/admin/articles/section/(\d+)/change/", sections).group(1)

    def _form(self, path: str, index: int = -1) -> dict:
        import lxml.html

        html = self.opener.open(self.base + path, timeout=30).read()
        form = lxml.html.fromstring(html).forms[index]
        return {k: v for k, v in form.form_values() if "__prefix__" not in k}

    def _post(self, path: str, values: dict):
        import urllib.parse

        data = urllib.parse.urlencode(values).encode()
        return self.opener.open(self.base + path, data, timeout=30)

    def publish(self, title: str, body: str) -> int:
        """Add an article and publish it now; its id (raises when the admin refused it)."""
        values = self._form("/admin/articles/article/add/")
        values.update(
            title=title, body=f"<p>{body}</p>", summary=body[:100], section=self.section.decode(),
            _workflow="publish", _continue="1",
        )  # fmt: skip
        values["bylines-TOTAL_FORMS"] = "0"
        for key in [k for k in values if k.startswith("bylines-0-")]:
            del values[key]
        import urllib.error
        import urllib.parse

        data = urllib.parse.urlencode(values).encode()
        try:
            answer = self.poster.open(self.base + "/admin/articles/article/add/", data, timeout=30)
            location = ""  # 200: the form came back with errors
            answer.read()
        except urllib.error.HTTPError as redirect:
            if redirect.code not in (301, 302, 303):
                raise
            location = redirect.headers.get("Location", "")
        # "Save and continue" redirects to the new article's own change page.
        found = re.search(r"/admin/articles/article/(\d+)/change/", location)
        if not found:
            raise RuntimeError(f"the admin did not save {title!r}")
        return int(found.group(1))


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: urllib then raises HTTPError with the 3xx and its Location."""

    def redirect_request(self, *args, **kwargs):
        return None
