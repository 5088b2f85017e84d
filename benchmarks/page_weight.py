"""What a first visit downloads, per reader page type, in headless Chromium.

    make setup && make run PORT=8114 &                # a site with the demo paper
    .venv/bin/python benchmarks/page_weight.py --base http://127.0.0.1:8114

Loads each page in a fresh browser context (empty cache, phone viewport), waits for the
fonts, and sums the bytes of every response by kind (bytes on the wire as the server
sent them: whitenoise's gzip/brotli copies when collectstatic made them). Prints one line
per page and the issue-14 budgets beside the totals.
"""

import argparse
import re
import shutil
import sys
from urllib.parse import quote
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

KINDS = ("document", "stylesheet", "script", "font", "image", "other")
BUDGETS_KB = {"document": 30, "stylesheet": 20, "script": 10, "font": 80}
HOME_BUDGET_KB = 250


def page_addresses(base: str) -> dict[str, str]:
    """Home, a section, an article, a writer and a search, found from the home page."""
    html = urlopen(base + "/").read().decode()
    # Links carry Arabic slugs as UTF-8 (the `iri` filter); a browser escapes them itself.
    links = [quote(link, safe="/%") for link in re.findall(r'href="(/[^"#?]+)"', html)]
    article = next(link for link in links if re.match(r"^/[^/]+/\d+/", link))
    section = "/" + article.split("/")[1] + "/"
    article_html = urlopen(base + article).read().decode()
    writer = next(iter(re.findall(r'href="(/writers/[^"]+)"', article_html)), None)
    pages = {"home": "/", "section": section, "article": article, "search": "/search/?q=العراق"}
    if writer:
        pages["writer"] = writer
    return pages


def weigh(browser, url: str) -> dict[str, int]:
    """Bytes per kind for one first visit to `url`."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    page = context.new_page()
    sizes = dict.fromkeys(KINDS, 0)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)
    for response in responses:
        kind = response.request.resource_type
        try:
            body = response.body()
        except Exception:  # a redirect has no body of its own
            continue
        encoded = response.headers.get("content-length")
        size = int(encoded) if encoded else len(body)
        sizes[kind if kind in sizes else "other"] += size
    context.close()
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8114")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        print(f"{'page':10}" + "".join(f"{k:>12}" for k in KINDS) + f"{'total':>12}")
        over = []
        for name, path in page_addresses(base).items():
            sizes = weigh(browser, base + path)
            total = sum(sizes.values())
            row = "".join(f"{sizes[k] / 1024:>10.1f}KB" for k in KINDS)
            print(f"{name:10}{row}{total / 1024:>10.1f}KB")
            over += [
                f"{name} {kind} {sizes[kind] / 1024:.1f} KB > {limit} KB"
                for kind, limit in BUDGETS_KB.items()
                if sizes[kind] / 1024 > limit
            ]
            if name == "home" and total / 1024 > HOME_BUDGET_KB:
                over.append(f"home total {total / 1024:.1f} KB > {HOME_BUDGET_KB} KB")
        browser.close()
    print("over budget:" if over else "within the issue-14 budgets", *over, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
