"""Lighthouse's mobile scores and a first visit's weights for each reader page type.

    make setup && make run PORT=18400 &
    npm --prefix .venv/lighthouse install lighthouse@12      # once; kept out of the repo
    .venv/bin/python benchmarks/lighthouse.py --base http://127.0.0.1:18400 --nginx-port 18401

Pages: home, a section, an article, an article with comments, a writer and a search
(found from the running site). For each it prints the bytes by kind (page_weight.py's
measure, in Chromium) and, when Lighthouse is installed, its mobile preset's scores
(simulated slow 4G and a 4x slower CPU): performance, accessibility, best practices, SEO,
largest contentful paint and cumulative layout shift, beside issue 14's targets. With
--nginx-port the pages go through deploy/nginx (brotli, static files from disk) as in
production, started here by benchmarks/harness.py in a temporary prefix; without it,
straight to the app server (whose HTML is not compressed). --why lists every audit that
kept a category below 100.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, Nginx
from page_weight import BUDGETS_KB, HOME_BUDGET_KB, KINDS, page_addresses, weigh

LIGHTHOUSE = ROOT / ".venv" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
LCP_TARGET_S, CLS_TARGET = 1.5, 0.02


def article_with_comments(base: str) -> str | None:
    """The first article in the sitemap that shows a published comment."""
    index = urlopen(base + "/sitemap.xml").read().decode()
    path_of = lambda url: "/" + url.split("/", 3)[3]  # noqa: E731 (the sitemap's host may differ)
    for sitemap in re.findall(r"<loc>([^<]+articles[^<]*)</loc>", index):
        for url in re.findall(
            r"<loc>([^<]+)</loc>", urlopen(base + path_of(sitemap)).read().decode()
        ):
            path = path_of(url)
            if 'class="comment-date"' in urlopen(base + path).read().decode():
                return path
    return None


def pages(base: str) -> dict[str, str]:
    found = page_addresses(base)
    commented = article_with_comments(base)
    if commented:
        found["commented"] = commented
    order = ("home", "section", "article", "commented", "writer", "search")
    return {name: found[name] for name in order if name in found}


def lighthouse(url: str, why: bool) -> dict:
    """One Lighthouse run (mobile preset) on `url`: scores, LCP and CLS."""
    with tempfile.TemporaryDirectory(prefix="jarida-lh-") as tmp:
        report = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "")
        for attempt in range(3):  # Chromium now and then loses the trace (NO_NAVSTART)
            done = subprocess.run(
                [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                 "--only-categories=" + ",".join(CATEGORIES),
                 "--chrome-flags=--headless=new --no-sandbox"],
                env=env, timeout=240, check=attempt == 2,
            )  # fmt: skip
            if done.returncode == 0:
                break
        data = json.loads(report.read_text())
    audits = data["audits"]
    result = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    result["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    result["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    result["fcp"] = audits["first-contentful-paint"]["numericValue"] / 1000
    if why:
        result["why"] = [
            f"{c}: {ref['id']} ({audits[ref['id']]['score']}) "
            + audits[ref["id"]].get("displayValue", "")
            for c in CATEGORIES
            for ref in data["categories"][c]["auditRefs"]
            if ref["weight"]
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        ]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:18400", help="the app server")
    parser.add_argument("--nginx-port", type=int, help="measure through deploy/nginx here")
    parser.add_argument("--why", action="store_true", help="list the audits below 100")
    parser.add_argument("--no-lighthouse", action="store_true", help="weights only")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    nginx = None
    if args.nginx_port:
        port = int(base.rsplit(":", 1)[1])
        data_dir = Path(os.environ.get("JARIDA_DATA_DIR", ROOT / "var"))
        nginx = Nginx(args.nginx_port, [port], data_dir).start(probe=None)
        base = f"http://127.0.0.1:{args.nginx_port}"
    try:
        found = pages(base)
        print(f"{'page':10}" + "".join(f"{k:>11}" for k in KINDS) + f"{'total':>11}")
        over = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox"]
            )
            for name, path in found.items():
                sizes = weigh(browser, base + quote(path, safe="/%?="))
                total = sum(sizes.values())
                row = "".join(f"{sizes[k] / 1024:>9.1f}KB" for k in KINDS)
                print(f"{name:10}{row}{total / 1024:>9.1f}KB")
                over += [
                    f"{name} {kind} {sizes[kind] / 1024:.1f} KB > {limit} KB"
                    for kind, limit in BUDGETS_KB.items()
                    if sizes[kind] / 1024 > limit and (kind != "document" or name != "home")
                ]
                if name == "home" and total / 1024 > HOME_BUDGET_KB:
                    over.append(f"home total {total / 1024:.1f} KB > {HOME_BUDGET_KB} KB")
            browser.close()
        print("over budget:" if over else "within the issue-14 weights", *over, sep="\n  ")
        if args.no_lighthouse:
            return 0
        if not LIGHTHOUSE.exists():
            print(f"\nLighthouse is not installed ({LIGHTHOUSE}): "
                  "npm --prefix .venv/lighthouse install lighthouse@12")  # fmt: skip
            return 0
        print(f"\nLighthouse mobile ({base})")
        print(
            f"{'page':10}{'perf':>6}{'a11y':>6}{'BP':>6}{'SEO':>6}"
            f"{'FCP s':>8}{'LCP s':>8}{'CLS':>8}"
        )
        missed = []
        for name, path in found.items():
            r = lighthouse(base + quote(path, safe="/%?="), args.why)
            print(f"{name:10}{r['performance']:>6}{r['accessibility']:>6}"
                  f"{r['best-practices']:>6}{r['seo']:>6}{r['fcp']:>8.2f}{r['lcp']:>8.2f}"
                  f"{r['cls']:>8.3f}")  # fmt: skip
            for line in r.get("why", []):
                print("    " + line)
            # The search page asks not to be indexed (noindex): SEO's target is for the rest.
            missed += [
                f"{name} {c} {r[c]} < {t}" for c, t in TARGETS.items()
                if r[c] < t and not (c == "seo" and name == "search")
            ]  # fmt: skip
            missed += [f"{name} LCP {r['lcp']:.2f} s > {LCP_TARGET_S}"] * (r["lcp"] > LCP_TARGET_S)
            missed += [f"{name} CLS {r['cls']:.3f} > {CLS_TARGET}"] * (r["cls"] > CLS_TARGET)
        print("missed:" if missed else "every issue-14 target met", *missed, sep="\n  ")
    finally:
        if nginx:
            nginx.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
