"""The W3C Nu HTML checker (vnu.jar from npm's vnu-jar, run on the machine's Java) on the
pages readers see most: home, section, article (also with comments shown), search, writer,
tag and the 404 page."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.paths import BASE_DIR

pytestmark = pytest.mark.django_db

VNU_JAR = BASE_DIR / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu_command() -> list[str]:
    """The checker's command line, or a failure in CI / a skip elsewhere when it is absent."""
    jar = os.environ.get("JARIDA_VNU_JAR") or str(VNU_JAR)
    java = shutil.which("java")
    problem = None
    if java is None:
        problem = "java is not installed (make system-deps installs default-jre-headless)"
    elif not os.path.exists(jar):
        problem = f"{jar} is absent: run `make vnu` (npm install vnu-jar into .venv/vnu)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"The HTML checker cannot run: {problem}")
        pytest.skip(problem)
    return [java, "-Xss4m", "-jar", jar, "--errors-only", "--format", "json"]


def _commented(article) -> str:
    """The article with a comment and a reply shown, stamped to the microsecond."""
    first = Comment.objects.create(
        article=article, text="تعليق منشور", text_key=text_key("تعليق منشور"), status="published"
    )
    Comment.objects.create(
        article=article, parent=first, name="سلمى", text="ردّ", text_key=text_key("ردّ"),
        status="published",
    )  # fmt: skip
    # A database clock keeps microseconds; the page must not print them all.
    Comment.objects.update(created_at=datetime(2026, 6, 15, 9, 30, 5, 123456, tzinfo=UTC))
    return article.get_absolute_url()


def test_reader_pages_have_no_html_errors(client, seed_article, paper, tmp_path):
    command = _vnu_command()
    pages = {
        "home": "/",
        "section": "/politics/",
        "article": paper["published"][0].get_absolute_url(),
        "seed-article": seed_article.get_absolute_url(),
        "search": "/search/?q=دجلة",
        "search-empty": "/search/",
        "writer": paper["reporter"].get_absolute_url(),
        "tag": paper["tag"].get_absolute_url(),
        "article-with-comments": _commented(paper["published"][1]),
        "not-found": "/no-such-section-here/",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        if name == "article-with-comments":
            assert response.content.count(b'class="comment-date"') == 2
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    # A page with a known error shows the checker really checks.
    control = tmp_path / "control.html"
    control.write_text('<!doctype html><html lang="ar"><title>x</title><p><li>x</p></html>')
    files.append(str(control))
    # One JVM for every page: starting Java costs more than checking a page.
    result = subprocess.run(
        [*command, *files], capture_output=True, text=True, timeout=120, check=False
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") in ("fatal", "warning")
    ]
    assert any(e.startswith("control.html:") for e in errors), result.stderr
    errors = [e for e in errors if not e.startswith("control.html:")]
    assert not errors, "\n".join(errors)
