"""A breaking-news spike (issue 13): readers, an editor publishing every second, comments.

    .venv/bin/python benchmarks/spike.py                  # the embedded site, as `make run`
    .venv/bin/python benchmarks/spike.py --scaled         # PostgreSQL + Redis + a task worker
    .venv/bin/python benchmarks/spike.py --scaled --nginx # the same behind the deploy/ nginx

For `--duration` seconds (60), at once:

* readers: wrk with `--connections` (64) on the home page (a third of the requests) and
  the demo paper's articles (benchmarks/spike.lua spreads them and counts answers);
* an editor logged into the back office publishes a new story every `--publish-every`
  seconds (1) through the real add form, as benchmarks/two_servers.py does;
* readers post a comment every `--comment-every` seconds (1) through the real form: the
  article page's form, a CSRF token and fill-time stamp from /comments/token/ as
  comments.js fetches them, the form's minimum fill time waited out, the honeypot left
  empty. Each comes from another address in X-Forwarded-For (JARIDA_PROXY_COUNT=1, or 2
  behind nginx, as with a CDN in front): one client on 127.0.0.1 would otherwise hit the
  per-address limit (5 in 10 minutes) after five comments;
* a poller reads the home page every 50 ms as a reader does (same server, or nginx) and
  notes, for each story, the time from its publish POST's answer to its title on the page.

The embedded site is `make run` itself (SQLite, file caches, its task worker, granian with
2 workers under supervise.py) in a fresh data directory with the demo paper. `--scaled`
uses the database `h_spike_run` (dropped and created again) and Redis db 11 (emptied), with
granian as `make serve` starts it and one `manage.py task_worker`. Ports 8300 (app) and
8301 (nginx). Prints the figures, the machine's load average before and after, and a
verdict per target: zero errors; every story on the home page within 2 s.
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

APP_PORT, NGINX_PORT = 8300, 8301
VISIBLE_WITHIN = 2.0
LUA = Path(__file__).resolve().parent / "spike.lua"
ARTICLE_LINK = re.compile(r'href="(/[^/"?#]+/\d+/[^"?#]*)"')


# --- pure helpers (tests/deploy/test_spike.py) -----------------------------------------


def parse_wrk(output: str) -> dict:
    """The `SPIKE-RESULT {json}` line spike.lua's done() prints (the last one wins)."""
    lines = [x for x in output.splitlines() if x.startswith("SPIKE-RESULT ")]
    if not lines:
        raise ValueError("wrk printed no SPIKE-RESULT line (did spike.lua load?)")
    return json.loads(lines[-1].removeprefix("SPIKE-RESULT "))


def reader_errors(result: dict) -> dict:
    """What counts against "zero errors": answers 4xx/5xx, and socket errors and timeouts."""
    errors = result["errors"]
    return {
        "4xx": result["status"]["4xx"],
        "5xx": result["status"]["5xx"],
        "connect": errors["connect"],
        "read": errors["read"],
        "write": errors["write"],
        "timeout": errors["timeout"],
    }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100) of `values`; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats' rounding
    return ordered[int(rank) - 1]


def article_paths(home_html: str, limit: int) -> list[str]:
    """The distinct article links of a page, as wrk must send them (percent-encoded)."""
    seen = []
    for link in ARTICLE_LINK.findall(home_html):
        path = urllib.parse.quote(link, safe="/%")
        if path not in seen:
            seen.append(path)
    return seen[:limit]


def reader_mix(articles: list[str]) -> list[str]:
    """The path list wrk cycles through: the home page a third of the time."""
    home = ["/"] * max(1, len(articles) // 2)
    mixed = []
    for i in range(max(len(articles), len(home))):
        if i < len(articles):
            mixed.append(articles[i])
        if i < len(home):
            mixed.append(home[i])
    return mixed


def visibility_verdict(delays: list[float | None], within: float) -> tuple[bool, str]:
    """Every story seen within `within` seconds? And the line that says so."""
    seen = [d for d in delays if d is not None]
    never = len(delays) - len(seen)
    late = sum(1 for d in seen if d > within)
    ok = bool(delays) and never == 0 and late == 0
    worst = f"{max(seen):.2f} s" if seen else "none seen"
    return ok, (
        f"{len(delays)} stories: p50 {percentile(seen, 50):.2f} s, max {worst}, "
        f"p99 {percentile(seen, 99):.2f} s, "
        f"over {within:g} s {late}, never seen {never}"
    )


# --- the actors -------------------------------------------------------------------------


@dataclass
class Story:
    title: str
    acknowledged: float = 0.0  # when the publish POST answered
    post_seconds: float = 0.0
    seen_after: float | None = None
    error: str = ""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n


class Newsroom:
    """Editors publishing on a clock; an editor who is still busy makes the next one wait."""

    def __init__(self, base: str, editors: int):
        self.free = queue.Queue()
        for _ in range(editors):
            self.free.put(harness.AdminEditor(base))
        self.pool = ThreadPoolExecutor(editors)
        self.stories: list[Story] = []
        self.lock = threading.Lock()

    def publish(self, n: int, run: str) -> None:
        # Digits in a title stay as typed on the page; the colon keeps "1:" out of "12:".
        story = Story(f"عاجل {n}: تطورات الخبر في الدفعة {run}")
        with self.lock:
            self.stories.append(story)
        self.pool.submit(self._publish, story)

    def _publish(self, story: Story) -> None:
        editor = self.free.get()
        try:
            started = time.monotonic()
            editor.publish(story.title, "نص الخبر العاجل كما حرره المحرر في أثناء الذروة.")
            story.acknowledged = time.monotonic()
            story.post_seconds = story.acknowledged - started
        except Exception as error:  # every failure is a figure here
            story.error = f"{type(error).__name__}: {error}"
        finally:
            self.free.put(editor)

    def pending(self) -> list[Story]:
        with self.lock:
            return [s for s in self.stories if s.acknowledged and s.seen_after is None]

    def close(self) -> None:
        self.pool.shutdown(wait=True)


class HomePoller(threading.Thread):
    """Reads the home page as a reader does, every 50 ms, and notes when each story shows."""

    def __init__(self, url: str, newsroom: Newsroom, tally: Tally):
        super().__init__()
        self.url, self.newsroom, self.tally = url, newsroom, tally
        self.give_up = float("inf")
        self.fetch_seconds: list[float] = []  # each poll's own wait: part of every delay

    def run(self) -> None:
        while time.monotonic() < self.give_up:
            asked = time.monotonic()
            try:
                html, _ = harness.fetch(self.url)
            except OSError:  # HTTPError included
                self.tally.add("errors: home page poll")
                html = ""
            now = time.monotonic()
            self.fetch_seconds.append(now - asked)
            for story in self.newsroom.pending():
                if story.title in html:
                    story.seen_after = now - story.acknowledged
            time.sleep(0.05)

    def finish(self, within: float) -> None:
        """Stop once every published story has shown, or after `within` seconds anyway."""
        deadline = time.monotonic() + within
        while self.newsroom.pending() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.give_up = 0
        self.join()


class RenderProbe(threading.Thread):
    """Every 2 s, the home page as a logged-in editor gets it: never from the page cache,
    so its time is what one rebuild of the readers' copy takes under the spike."""

    def __init__(self, base: str):
        super().__init__()
        self.base, self.editor = base, harness.AdminEditor(base)
        self.seconds: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(2):
            asked = time.monotonic()
            with contextlib.suppress(OSError):
                self.editor.opener.open(self.base + "/", timeout=30).read()
                self.seconds.append(time.monotonic() - asked)


class Commenters:
    """Readers posting through the article page's comment form, one address each."""

    def __init__(self, base: str, articles: list[str], tally: Tally):
        self.base, self.articles, self.tally = base, articles, tally
        self.pool = ThreadPoolExecutor(12)

    def post(self, n: int) -> None:
        self.pool.submit(self._post, n)

    def _post(self, n: int) -> None:
        import lxml.html

        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 or 1}"
        headers = {"X-Forwarded-For": address, "User-Agent": "Mozilla/5.0 (spike reader)"}
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        browser = urllib.request.build_opener(cookies)
        poster = urllib.request.build_opener(cookies, harness.NoRedirects)
        path = self.articles[n % len(self.articles)]

        def get(url: str) -> bytes:
            request = urllib.request.Request(url, headers=headers)
            with browser.open(request, timeout=30) as answer:
                return answer.read()

        try:
            page = lxml.html.fromstring(get(self.base + path))
            form = page.xpath("//form[contains(@class, 'comment-form')]")[0]
            values = dict(form.form_values())
            minimum = float(form.get("data-min-fill") or 3)
            token = json.loads(get(self.base + form.get("data-token-url")))
            fetched = time.monotonic()
            values.update(
                csrfmiddlewaretoken=token["csrf"],
                started=token["started"],
                website="",
                text=f"تعليق القارئ رقم {n} على الخبر: متابعة مهمة، شكرًا للمحررين.",
                name=f"قارئ {n}",
            )
            # A reader takes longer to write than the form's minimum; so does this one.
            time.sleep(max(0.0, fetched + minimum + 0.3 - time.monotonic()))
            data = urllib.parse.urlencode(values).encode()
            request = urllib.request.Request(self.base + form.get("action"), data, headers)
            self.tally.add("comments posted")
            try:
                with poster.open(request, timeout=30) as answer:
                    answer.read()
                self.tally.add("comments answered 200 (form back, not accepted)")
                return
            except urllib.error.HTTPError as answer:
                if answer.code >= 500:
                    self.tally.add(f"errors: comment post answered {answer.code}")
                    return
                if answer.code not in (302, 303):
                    self.tally.add(f"comments refused ({answer.code})")
                    return
                location = answer.headers.get("Location", "")
            self.tally.add("comments accepted")
            received = get(urllib.parse.urljoin(self.base, location)).decode()
            held = "بانتظار المراجعة" in received
            self.tally.add("held for moderation" if held else "published at once")
        except Exception as error:
            self.tally.add(f"errors: comment ({type(error).__name__})")

    def close(self) -> None:
        self.pool.shutdown(wait=True)


# --- the site ------------------------------------------------------------------------


def reset_services(database_url: str, redis_url: str) -> None:
    """A fresh h_spike_* database and an empty Redis db (only these: shared servers)."""
    import redis

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not name.startswith("h_spike"):
        raise SystemExit(f"refusing to recreate {name!r}: only h_spike_* databases are ours")
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", name], check=True)
    subprocess.run(["createdb", *host, name], check=True)
    redis.Redis.from_url(redis_url).flushdb()


def site_settings(args) -> dict:
    """The environment the spike adds to a site's: who the reader is, where purges go."""
    # Comments come "from" many readers: X-Forwarded-For, trusted one or two hops deep.
    extra = {"JARIDA_PROXY_COUNT": 2 if args.nginx else 1}
    if args.purge:
        # docs/caching.md, "Purges": PURGE each page's URL at the nginx in front.
        extra |= {
            "JARIDA_PURGE_BACKEND": "http",
            "JARIDA_PURGE_ENDPOINTS": f"http://127.0.0.1:{args.nginx_port}",
            "JARIDA_PURGE_HOST": "127.0.0.1",
        }
    return extra


def start_site(args, data_dir: Path) -> tuple[list, dict]:
    if not args.scaled:
        env = harness.site_env(data_dir, **site_settings(args))
        return [harness.make_run(args.port, env)], env
    reset_services(args.database_url, args.redis_url)
    env = harness.site_env(data_dir, args.database_url, args.redis_url, **site_settings(args))
    harness.prepare_site(env)
    server = harness.app_server("granian", args.port, env)
    log = open(data_dir / "task-worker.log", "ab")  # noqa: SIM115
    worker = subprocess.Popen(
        [str(harness.BIN / "python"), "manage.py", "task_worker"], cwd=harness.ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    return [server, worker], env


def task_queue(app: str) -> str:
    """The task queue as /health/ready shows it (tasks waiting, running, the oldest's age)."""
    try:
        body = json.loads(harness.fetch(app + "/health/ready")[0])
    except (OSError, ValueError) as error:
        return f"unknown ({error})"
    for check in body.get("checks", {}).values():
        details = check.get("details", check) if isinstance(check, dict) else {}
        if isinstance(details, dict) and "oldest_ready_seconds" in details:
            return (
                f"{details['ready']} waiting, {details['running']} running, oldest waiting "
                f"{details['oldest_ready_seconds']} s, {details['workers']} live worker(s)"
            )
    return "no database queue"


def server_log_errors(data_dir: Path) -> int:
    """Lines at ERROR or worse, and tracebacks, in the logs the site wrote."""
    count = 0
    for log in data_dir.rglob("*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "Traceback" in line or '"level": "ERROR"' in line or " ERROR " in line:
                count += 1
    return count


# --- the run -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of readers")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=5, help="wrk's request timeout (s)")
    parser.add_argument("--publish-every", type=float, default=1.0)
    parser.add_argument("--editors", type=int, default=2, help="back-office sessions")
    parser.add_argument("--comment-every", type=float, default=1.0)
    parser.add_argument("--articles", type=int, default=20, help="article pages read")
    parser.add_argument("--scaled", action="store_true", help="PostgreSQL + Redis + worker")
    parser.add_argument("--nginx", action="store_true", help="readers through deploy/ nginx")
    parser.add_argument(
        "--nginx-policy", default="micro", choices=["micro", "app"],
        help="micro (1 s, as shipped) or app (the app's s-maxage; with --purge)",
    )  # fmt: skip
    parser.add_argument("--purge", action="store_true", help="the app PURGEs nginx's copies")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_spike_run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--port", type=int, default=APP_PORT)
    parser.add_argument("--nginx-port", type=int, default=NGINX_PORT)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if args.purge and not args.nginx:
        parser.error("--purge needs --nginx")

    data_dir = Path(tempfile.mkdtemp(prefix="jarida-spike-"))
    layout = (
        "scaled out (PostgreSQL, Redis, granian, a task worker)"
        if args.scaled
        else ("embedded (`make run`: SQLite, file caches, its task worker, granian)")
    )
    front = f", behind the deploy/ nginx (policy {args.nginx_policy})" if args.nginx else ""
    purges = ", the app PURGEs nginx's copies" if args.purge else ""
    print(f"layout: {layout}{front}{purges}")
    print(f"data directory: {data_dir}", flush=True)
    processes, nginx = [], None
    try:
        processes, _ = start_site(args, data_dir)
        base = f"http://127.0.0.1:{args.port}"
        if args.nginx:
            nginx = harness.Nginx(args.nginx_port, [args.port], data_dir, args.nginx_policy)
            nginx.start()
            base = f"http://127.0.0.1:{args.nginx_port}"
        return spike(args, base, data_dir)
    finally:
        if nginx:
            nginx.stop()
        for process in reversed(processes):
            harness.stop(process)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def spike(args, base: str, data_dir: Path) -> int:
    articles = article_paths(harness.fetch(base + "/")[0], args.articles)
    if not articles:
        raise SystemExit("no article links on the home page")
    newsroom = Newsroom(base, args.editors)  # logged in before the clock starts
    tally = Tally()
    commenters = Commenters(base, articles, tally)
    run = time.strftime("%H%M%S")
    load_before = os.getloadavg()
    print(
        f"{args.connections} readers for {args.duration} s on the home page and "
        f"{len(articles)} articles; a story every {args.publish_every:g} s, a comment every "
        f"{args.comment_every:g} s. Load average before: "
        + " ".join(f"{x:.2f}" for x in load_before),
        flush=True,
    )
    wrk = subprocess.Popen(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections),
         "-d", f"{args.duration}s", "--timeout", f"{args.timeout:g}s", "-s", str(LUA),
         base + "/", "--", *reader_mix(articles)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    poller = HomePoller(base + "/", newsroom, tally)
    poller.start()
    probe = RenderProbe(base)
    probe.start()
    started = time.monotonic()
    published = commented = 0
    while (now := time.monotonic() - started) < args.duration - 0.5:
        if now >= published * args.publish_every:
            published += 1
            newsroom.publish(published, run)
        if now >= commented * args.comment_every:
            commenters.post(commented)
            commented += 1
        time.sleep(0.02)
    wrk_output, _ = wrk.communicate()
    load_after = os.getloadavg()
    queue_at_end = task_queue(f"http://127.0.0.1:{args.port}")
    probe.done.set()
    probe.join()
    newsroom.close()
    commenters.close()
    poller.finish(within=30)  # a story not on the page 30 s after the run: "never"
    print(f"task queue when the readers stopped: {queue_at_end}")
    polls = poller.fetch_seconds
    print(
        f"the poller's own home page reads: {len(polls)}, p50 {percentile(polls, 50):.2f} s, "
        f"p99 {percentile(polls, 99):.2f} s, max {max(polls, default=0):.2f} s"
    )
    renders = probe.seconds
    print(
        f"the home page rendered uncached (an editor's session, every 2 s): {len(renders)}, "
        f"p50 {percentile(renders, 50):.2f} s, max {max(renders, default=0):.2f} s"
    )
    return report(args, wrk_output, newsroom, tally, load_before, load_after, data_dir)


def report(args, wrk_output, newsroom, tally, load_before, load_after, data_dir) -> int:
    try:
        result = parse_wrk(wrk_output)
    except ValueError:
        print(wrk_output)
        raise
    seconds = result["duration_us"] / 1e6
    errors = reader_errors(result)
    lat = result["latency_us"]
    print(
        f"\nreaders: {result['requests']} requests in {seconds:.1f} s, "
        f"{result['requests'] / seconds:.0f} req/s, {result['bytes'] / seconds / 1e6:.1f} MB/s"
    )
    print(
        f"  latency p50 {lat['p50'] / 1000:.1f} ms, p90 {lat['p90'] / 1000:.1f} ms, "
        f"p99 {lat['p99'] / 1000:.1f} ms, max {lat['max'] / 1000:.1f} ms"
    )
    print(f"  answers {result['status']}; errors {errors}")
    done = [s for s in newsroom.stories if s.acknowledged]
    failed = [s for s in newsroom.stories if s.error]
    posts = [s.post_seconds for s in done]
    print(
        f"publishing: {len(done)} of {len(newsroom.stories)} stories published, "
        f"{len(failed)} failed; POST p50 {percentile(posts, 50):.2f} s, "
        f"p99 {percentile(posts, 99):.2f} s, max {max(posts, default=float('nan')):.2f} s"
    )
    for story in failed[:3]:
        print(f"  failed: {story.error[:200]}")
    comments = {k: v for k, v in sorted(tally.counts.items()) if not k.startswith("errors")}
    print(f"comments: {comments}")
    other = {k: v for k, v in sorted(tally.counts.items()) if k.startswith("errors")}
    print(f"errors of the editor's and commenters' clients: {other or 'none'}")
    ok_seen, seen_line = visibility_verdict([s.seen_after for s in done], VISIBLE_WITHIN)
    print(f"home page visibility (publish answer -> title on the home page): {seen_line}")
    print(
        "load average before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in load_after)
        + f"; error lines in the site's logs: {server_log_errors(data_dir)}"
    )
    comment_failures = sum(v for k, v in tally.counts.items() if k.startswith("errors: comment"))
    ok_errors = sum(errors.values()) == 0 and not failed and not comment_failures
    print(
        f"target zero errors: {'PASS' if ok_errors else 'FAIL'} (readers "
        f"{sum(errors.values())}, publications {len(failed)}, comments {comment_failures})"
    )
    print(
        f"target every story on the home page within {VISIBLE_WITHIN:g} s: "
        f"{'PASS' if ok_seen else 'FAIL'}"
    )
    print(f"reader p99: {lat['p99'] / 1000:.1f} ms (printed, no target)")
    return 0 if ok_errors and ok_seen else 1


if __name__ == "__main__":
    sys.exit(main())
