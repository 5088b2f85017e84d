"""Generated and hostile input against every public endpoint of a real running server.

    .venv/bin/python benchmarks/fuzz_endpoints.py                 # 10,000 inputs an endpoint
    .venv/bin/python benchmarks/fuzz_endpoints.py --examples 300  # a quick look
    .venv/bin/python benchmarks/fuzz_endpoints.py --url http://127.0.0.1:8000  # a running site
    .venv/bin/python benchmarks/fuzz_endpoints.py --only '^GET / |API GET /api/v1/articles$' \
        --bad-input-per-group 0                  # some endpoints only (a regular expression)

Without --url it starts the site as `make run` does (granian, 2 workers, the demo paper) in a
data directory of its own on PORT (8120), with the embedded defaults or with DATABASE_URL /
REDIS_URL when they are set, and stops it at the end. Inputs: hypothesis strategies for the
HTML endpoints (paths and slugs, query strings, `page`, search queries, the comment form,
headers) and schemathesis for every operation of /api/v1/openapi.json; then every sample of
../shared/BAD-INPUT.md in every input of every endpoint. Prints, per endpoint, inputs, 5xx
and the other statuses; then the brute-force line (the 6th wrong password in a minute for one
account). Exit status 1 when any 5xx was seen (the first ones are listed).
"""

import argparse
import collections
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent

# ../shared/BAD-INPUT.md, group by group: what real readers, editors and files produce.
BAD_INPUT = {
    "bidi controls": ["\u202eabc", "\u202dعنوان", "\u202aن\u202c", "\u2066x\u2069", "\u200e\u200f"],
    "zero-width": ["عر\u200bاق", "\u200c", "\u200d", "\u2060", "\ufeffعنوان"],
    "private-use": ["\uf06f", "\uf03c", "\ue000\uf8ff"],
    "tatweel / harakat": ["أكثـــــر", "تعاوناً", "ـ" * 10_000, "ب" + "\u064e" * 50],
    "hamza/alef/ya/ta marbuta": ["أ إ آ ٱ ا", "ى ي", "ة ه", "الأميركية", "اسوشييتدبرس"],
    "digits": ["٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "٢٠2٠", "٣ كانون الثاني", "٢"],
    "presentation forms": ["ﻻ", "ﷺ", "ﷲ", "\ufb50\ufdff\ufe70"],
    "long / huge": ["ك" * 5_000, "😀" * 255, "ت" * 256, "x" * 100_000],
    "NUL / control": ["\x00", "a\x00b", "\x1b[31m", "a\r\nSet-Cookie: x=1", "\x7f\x08"],
    "invalid encodings": ["%FF%FE", "%C0%AF", "%00", "%E0%80%80", "%"],
    "markup / script": [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        '<a href="&#106;avascript:alert(1)">x</a>',
        "expression(alert(1))",
        "<iframe srcdoc='<script>alert(1)</script>'>",
        "{{ 7*7 }}",
        "{% debug %}",
    ],
    "homoglyph / spam": [
        "Аnonymous",
        "کی",
        "xn--mgbh0fb.xn--kgbechtv",
        "http://xn--80ak6aa92e.com",
    ],
    "search syntax": [
        '"',
        "*",
        "NEAR(",
        "OR",
        "AND NOT",
        "^",
        "-",
        ":",
        "(",
        " ".join(["و"] * 1000),
        "",
        "\u064b\u064c\u064d",
    ],
    "URLs/slugs": [
        "س" * 300,
        "%D8%B3%D9%8A",
        "سياسةـ",
        "\u202eslug",
        "../../etc/passwd",
        "..%2F..%2F",
    ],
}
BAD_SAMPLES = [sample for samples in BAD_INPUT.values() for sample in samples]

#: Text as it arrives: any Unicode scalar (no lone surrogates: they cannot be UTF-8), often
#: Arabic, sometimes a sample from BAD-INPUT.md.
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=60),
    st.text(ARABIC, max_size=60),
    st.sampled_from(BAD_SAMPLES),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
HEADERS = st.dictionaries(
    st.sampled_from(
        [
            "Accept",
            "Accept-Language",
            "Accept-Encoding",
            "If-None-Match",
            "If-Modified-Since",
            "Range",
            "Cookie",
            "Referer",
            "User-Agent",
            "X-Forwarded-For",
            "X-Forwarded-Proto",
            "X-Requested-With",
            "Content-Type",
        ]
    ),
    HEADER_TEXT,
    max_size=4,
)
NUMBERISH = st.one_of(
    st.integers(-(2**70), 2**70).map(str), TEXT, st.sampled_from(["1", "2", "0", "-1", "1e9"])
)
QUERY = st.dictionaries(
    st.one_of(st.sampled_from(["page", "q", "utm_source", "p"]), TEXT), TEXT, max_size=3
)


@dataclass
class Tally:
    inputs: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    server_errors: list = field(default_factory=list)

    def record(self, status: int | str, what: str) -> None:
        self.inputs += 1
        self.statuses[status] += 1
        if isinstance(status, int) and status >= 500 and len(self.server_errors) < 5:
            self.server_errors.append(what)

    def line(self, name: str) -> str:
        fives = sum(n for s, n in self.statuses.items() if isinstance(s, int) and s >= 500)
        others = ", ".join(
            f"{s}: {n}" for s, n in sorted(self.statuses.items(), key=lambda x: str(x[0]))
            if not (isinstance(s, int) and s >= 500)
        )  # fmt: skip
        return f"{name:<34} inputs {self.inputs:>6}  5xx {fives:>3}  ({others})"


def report(name: str, tally: Tally) -> None:
    """One line an endpoint as soon as it is done (a long run shows its progress)."""
    print(tally.line(name), flush=True)


def quote(text: str) -> str:
    """A path segment as a client would send it (raw %-sequences kept as they are)."""
    if re.fullmatch(r"(%[0-9A-Fa-f]{2}|[\w.\-~])*%?", text, re.ASCII) and "%" in text:
        return text
    return urllib.parse.quote(text, safe="")


class Site:
    """The server under test: a base URL, one keep-alive session per thread."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.paper = self._paper()

    def _paper(self) -> dict:
        articles = requests.get(f"{self.base}/api/v1/articles", timeout=30).json()["results"]
        first = articles[0]
        detail = requests.get(f"{self.base}/api/v1/articles/{first['id']}", timeout=30).json()
        return {
            "section": first["section"]["slug"],
            "article_path": urllib.parse.urlsplit(first["url"]).path,
            "article_id": first["id"],
            "tag": next((t["slug"] for t in detail["tags"]), "x"),
            "writer": next((c["slug"] for c in detail["bylines"]), "x"),
        }

    def send(self, session, method: str, path: str, **kwargs) -> int | str:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        try:
            return session.request(method, self.base + path, **kwargs).status_code
        except requests.RequestException as error:
            return type(error).__name__


def comment_form(site: Site, session) -> dict:
    """The fields comments.js adds to the comment form: a CSRF token (its cookie now in the
    session) and a signed start time. Article pages are cached and set no cookie, so
    without these every post would stop at the CSRF check and never reach the form."""
    data = session.get(site.base + "/comments/token/", timeout=30).json()
    time.sleep(3.5)  # the form refuses posts sent sooner than a person could type
    return {"csrfmiddlewaretoken": data["csrf"], "started": data["started"]}


def html_endpoints(site: Site) -> dict:
    """name → (strategy of request kwargs, how to build the request)."""
    p = site.paper
    slug = st.one_of(TEXT.filter(bool), st.sampled_from([p["section"], p["tag"], p["writer"]]))
    return {
        "GET / (home, ?page, headers)": st.builds(
            lambda q, h: ("GET", "/", {"params": q, "headers": h}), QUERY, HEADERS
        ),
        "GET /<section>/?page=": st.builds(
            lambda s, n, h: ("GET", f"/{quote(s)}/", {"params": {"page": n}, "headers": h}),
            st.one_of(st.just(p["section"]), slug),
            NUMBERISH,
            HEADERS,
        ),
        "GET /<section>/<id>/<slug>/": st.builds(
            lambda s, i, t: ("GET", f"/{quote(s)}/{quote(i)}/{quote(t)}/", {}),
            st.one_of(st.just(p["section"]), slug),
            st.one_of(st.just(str(p["article_id"])), st.integers(0, 2**64).map(str)),
            TEXT.filter(bool),
        ),
        "GET /tags/<slug>/": st.builds(
            lambda s, q: ("GET", f"/tags/{quote(s)}/", {"params": q}), slug, QUERY
        ),
        "GET /writers/<slug>/": st.builds(
            lambda s, q: ("GET", f"/writers/{quote(s)}/", {"params": q}), slug, QUERY
        ),
        "GET /search/?q=&page=": st.builds(
            lambda q, n, extra: ("GET", "/search/", {"params": {"q": q, "page": n} | extra}),
            TEXT,
            NUMBERISH,
            QUERY,
        ),
        "GET /search/ raw query string": st.builds(
            lambda raw: ("GET", "/search/?" + raw, {}),
            st.sampled_from(BAD_INPUT["invalid encodings"]).map(lambda s: f"q={s}")
            | st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40),
        ),
        "GET feeds and sitemaps": st.builds(
            lambda path, s: ("GET", path.format(quote(s)), {}),
            st.sampled_from(
                [
                    "/{}/feed/",
                    "/{}/feed/atom/",
                    "/tags/{}/feed/json/",
                    "/writers/{}/feed/",
                    "/sitemaps/{}.xml",
                    "/feed/?{}",
                    "/sitemap-news.xml?{}",
                ]
            ),
            slug,
        ),
        "GET any path": st.builds(
            lambda s: ("GET", "/" + s, {}),
            st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60)
            | TEXT.map(quote),
        ),
        "POST /comments/post/<id>/ (form)": st.builds(
            lambda i, fields, xff: (
                "POST",
                f"/comments/post/{i}/",
                {"data": fields, "headers": {"X-Forwarded-For": xff}, "form": True},
            ),
            st.one_of(st.just(p["article_id"]), st.integers(0, 2**63 - 1)),
            st.fixed_dictionaries(
                {"text": TEXT, "name": TEXT, "email": TEXT},
                optional={"parent": NUMBERISH, "started": TEXT, "website": TEXT},
            ),
            st.ip_addresses(v=4).map(str),
        ),
    }


def run_html(site: Site, name: str, strategy, examples: int, tally: Tally) -> None:
    session = requests.Session()
    form = {}
    if "comments" in name:
        form = comment_form(site, session)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(request):
        method, path, kwargs = request
        if kwargs.pop("form", False):
            # The page's own hidden fields (CSRF token, start time), overridden by the input.
            kwargs["data"] = form | kwargs["data"]
            kwargs["headers"]["Referer"] = site.base + site.paper["article_path"]
        status = site.send(session, method, path, **kwargs)
        tally.record(status, f"{method} {path} {str(kwargs)[:300]}")

    one()


def selected(only: str, name: str) -> bool:
    """Whether the endpoint `name` is one `--only` asks for (a regular expression searched
    in the name as printed, e.g. 'API GET /api/v1/articles$'; empty: every endpoint)."""
    return not only or re.search(only, name) is not None


def run_api(site: Site, examples: int, tallies: dict, workers: int, only: str = "") -> None:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{site.base}/api/v1/openapi.json")
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if selected(only, f"API {operation.method.upper()} {operation.path}")
    ]
    if not operations:
        return

    def fuzz(operation):
        name = f"{operation.method.upper()} {operation.path}"
        tally = tallies.setdefault(f"API {name}", Tally())
        session = requests.Session()

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        # Operations without parameters still get 10,000 different requests: unknown query
        # parameters and odd headers ride along on every case.
        @given(operation.as_strategy(), QUERY, HEADERS)
        def one(case, extra_query, extra_headers):
            # Real ids now and then, so the paths behind a found article are reached too.
            if "article_id" in (case.path_parameters or {}) and secrets.randbelow(3) == 0:
                case.path_parameters["article_id"] = site.paper["article_id"]
            headers = extra_headers | {
                "X-Forwarded-For": f"10.{secrets.randbelow(255)}.{secrets.randbelow(255)}.1"
            }
            case.query = (case.query or {}) | {k: v for k, v in extra_query.items() if k}
            try:
                response = case.call(base_url=site.base, session=session, headers=headers)
                status = response.status_code
            except Exception as error:  # a refused or reset connection counts, not crashes
                status = type(error).__name__
            tally.record(status, case.as_curl_command()[:400])

        one()
        report(f"API {name}", tally)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fuzz, operations))


def run_bad_input(site: Site, tallies: dict, per_group: int | None = None) -> None:
    """Every BAD-INPUT.md sample (or the first `per_group` of each group) in every input
    slot of every endpoint, once each."""
    session = requests.Session()
    p = site.paper
    form = comment_form(site, session)
    slots = {
        "home ?page": lambda s: ("GET", "/", {"params": {"page": s}}),
        "section slug": lambda s: ("GET", f"/{quote(s)}/", {}),
        "section ?page": lambda s: ("GET", f"/{p['section']}/", {"params": {"page": s}}),
        "article slug": lambda s: ("GET", f"/{p['section']}/{p['article_id']}/{quote(s)}/", {}),
        "tag slug": lambda s: ("GET", f"/tags/{quote(s)}/", {}),
        "writer slug": lambda s: ("GET", f"/writers/{quote(s)}/", {}),
        "search q": lambda s: ("GET", "/search/", {"params": {"q": s}}),
        "search raw": lambda s: ("GET", f"/search/?q={s}", {}),
        "section feed": lambda s: ("GET", f"/{quote(s)}/feed/", {}),
        "header Accept-Language": lambda s: ("GET", "/", {"headers": {"Accept-Language": s}}),
        "comment text": lambda s: (
            "POST",
            f"/comments/post/{p['article_id']}/",
            {"data": form | {"text": s, "name": "x"}},
        ),
        "comment name": lambda s: (
            "POST",
            f"/comments/post/{p['article_id']}/",
            {"data": form | {"text": "نص", "name": s}},
        ),
        "comment email": lambda s: (
            "POST",
            f"/comments/post/{p['article_id']}/",
            {"data": form | {"text": "نص", "email": s}},
        ),
        "API search q": lambda s: ("GET", "/api/v1/search", {"params": {"q": s}}),
        "API articles ?section": lambda s: (
            "GET",
            "/api/v1/articles",
            {"params": {"section": s, "page": s}},
        ),
        "API article id": lambda s: ("GET", f"/api/v1/articles/{quote(s)}", {}),
        "API comment text": lambda s: (
            "POST",
            f"/api/v1/articles/{p['article_id']}/comments",
            {"json": {"text": s, "name": s}},
        ),
        "API comment raw body": lambda s: (
            "POST",
            f"/api/v1/articles/{p['article_id']}/comments",
            {
                "data": s.encode("utf-8", "surrogatepass"),
                "headers": {"Content-Type": "application/json"},
            },
        ),
    }
    for slot, build in slots.items():
        tally = tallies.setdefault(f"bad input: {slot}", Tally())
        for group, samples in BAD_INPUT.items():
            for sample in samples[:per_group]:
                method, path, kwargs = build(sample)
                kwargs.setdefault("headers", {})
                kwargs["headers"]["X-Forwarded-For"] = f"10.9.{secrets.randbelow(255)}.1"
                if method == "POST" and "data" in kwargs and isinstance(kwargs["data"], dict):
                    kwargs["headers"]["Referer"] = site.base + p["article_path"]
                try:
                    status = site.send(session, method, path, **kwargs)
                except UnicodeEncodeError:  # a header requests cannot send (not latin-1)
                    status = "unsendable"
                tally.record(status, f"[{group}] {method} {path[:120]} {str(kwargs)[:200]}")
        report(f"bad input: {slot}", tally)


def brute_force_line(site: Site, username: str, password: str) -> str:
    """Six logins for one account within a minute: five wrong, then the right password."""
    session = requests.Session()
    statuses, started = [], time.monotonic()
    for attempt in range(6):
        page = session.get(site.base + "/admin/login/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = {
            "username": username,
            "password": password if attempt == 5 else f"wrong-{attempt}",
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        response = session.post(
            site.base + "/admin/login/?next=/admin/",
            data=data,
            headers={"Referer": site.base + "/admin/login/"},
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(response.status_code)
    seconds = time.monotonic() - started
    verdict = (
        "refused without checking it (the right password got the lockout page)"
        if statuses[5] == 429
        else "NOT refused"
    )
    return (
        f"brute force: 6 logins for {username!r} in {seconds:.1f} s → "
        f"{', '.join(map(str, statuses))}; the 6th {verdict}"
    )


def start_server(port: int, data_dir: Path, password: str) -> subprocess.Popen:
    """`make run` on this port in a data directory of its own (demo paper loaded)."""
    env = os.environ | {
        "JARIDA_DATA_DIR": str(data_dir),
        "JARIDA_ADMIN_PASSWORD": password,
        # Each fuzzed comment comes "from" another address (X-Forwarded-For), so the rate
        # limit does not turn the whole comment run into 429s before the form is checked.
        "JARIDA_PROXY_COUNT": "1",
        "JARIDA_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=open(data_dir / "server.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(600):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health/live", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(1)
    raise SystemExit(f"the server did not start: see {data_dir / 'server.log'}")


def stop_server(server: subprocess.Popen) -> None:
    import signal

    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def progress(tallies: dict, every: float) -> None:
    """Every `every` seconds, the counts so far (a run stopped early still leaves figures)."""
    import threading

    def loop():
        while True:
            time.sleep(every)
            print(f"-- progress after {time.monotonic() - started:.0f} s", flush=True)
            for name, tally in list(tallies.items()):
                print("   " + tally.line(name), flush=True)

    started = time.monotonic()
    threading.Thread(target=loop, daemon=True).start()


def fuzz(
    base: str,
    examples: int,
    workers: int,
    only: str = "",
    per_group: int | None = None,
    every: float = 0,
) -> tuple[dict, "Site"]:
    """Run every part against `base`; return ({endpoint name: Tally}, the site)."""
    site = Site(base)
    tallies: dict[str, Tally] = {}
    if every:
        progress(tallies, every)
    endpoints = html_endpoints(site)
    jobs = [(n, s) for n, s in endpoints.items() if selected(only, n)]
    with ThreadPoolExecutor(workers) as pool:
        futures = [
            pool.submit(run_html, site, n, s, examples, tallies.setdefault(n, Tally()))
            for n, s in jobs
        ]
        for future in futures:
            future.result()
    run_api(site, examples, tallies, workers, only)
    if per_group != 0:
        run_bad_input(site, tallies, per_group)
    return tallies, site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site (default: start one on --port)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8120)))
    parser.add_argument("--examples", type=int, default=10_000, help="inputs an endpoint")
    parser.add_argument("--workers", type=int, default=3, help="endpoints fuzzed at once")
    parser.add_argument(
        "--only",
        default="",
        help="endpoints whose printed name matches this regular expression (default: all)",
    )
    parser.add_argument("--admin", default="admin:", help="USER:PASSWORD for the brute force")
    parser.add_argument(
        "--bad-input-per-group", type=int, default=None, help="0 skips the BAD-INPUT.md part"
    )
    parser.add_argument("--progress", type=float, default=60, help="seconds between reports")
    args = parser.parse_args()

    server = data_dir = None
    username, _, password = args.admin.partition(":")
    base = args.url
    if not base:
        data_dir = Path(tempfile.mkdtemp(prefix="jarida-fuzz-"))
        password = password or secrets.token_urlsafe(18)
        server = start_server(args.port, data_dir, password)
        base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    try:
        tallies, site = fuzz(
            base, args.examples, args.workers, args.only, args.bad_input_per_group, args.progress
        )
        elapsed = time.monotonic() - started
        database = "PostgreSQL" if "postgres" in os.environ.get("DATABASE_URL", "") else "SQLite"
        cache = "Redis" if os.environ.get("REDIS_URL") else "file cache"
        load = os.getloadavg()[0]
        print(f"\nfuzz against {base} ({database}, {cache}), {elapsed:.0f} s, load {load:.1f}")
        for name, tally in tallies.items():
            print(tally.line(name))
        total = sum(t.inputs for t in tallies.values())
        errors = [e for t in tallies.values() for e in t.server_errors]
        fives = sum(
            n
            for t in tallies.values()
            for s, n in t.statuses.items()
            if isinstance(s, int) and s >= 500
        )
        groups = len(BAD_INPUT)
        print(f"total: {total} inputs, {fives} answers 5xx; BAD-INPUT.md: {groups} groups, "
              f"{len(BAD_SAMPLES)} samples in each of the bad-input slots above")  # fmt: skip
        for error in errors:
            print("  5xx:", error)
        if password:
            print(brute_force_line(site, username, password))
        return 1 if fives else 0
    finally:
        if server is not None:
            stop_server(server)
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
