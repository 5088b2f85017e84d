"""The restore drill: back up a living site while it is written to, restore it into an empty
data directory (and an empty PostgreSQL database), and prove nothing was lost.

Each drill writes its table (rows compared per model, files, pages, timings) to
test-artifacts/restore-drill-<database>.txt.
"""

import io
import json
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import reversion
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import close_old_connections, connections
from django.test import Client
from PIL import Image as PILImage
from restore_drill import (
    ON_DISK,
    compare_tables,
    default_database,
    media_files,
    model_tables,
    page_bytes,
    read_tables,
)
from reversion.models import Version

from jarida.accounts.roles import ensure_roles
from jarida.articles import services
from jarida.articles.models import Article, Byline, Section
from jarida.backups.services import create_backup, restore_backup
from jarida.comments import services as comments
from jarida.comments.models import Comment
from jarida.importers import ndjson
from jarida.importers.models import ImportRun
from jarida.media.models import Image
from jarida.media.services import save_image
from jarida.paths import BASE_DIR
from jarida.search import services as search
from jarida.search.backends.base import SearchQuery
from jarida.tasks.worker import run_queued_tasks

NOW = datetime.fromisoformat("2026-03-01T12:00:00+03:00")
STORIES = [
    ("سياسية", "politics", "البرلمان يناقش قانون الموازنة الاتحادية للعام المقبل"),
    ("سياسية", "politics", "وفد حكومي يزور البصرة لبحث أزمة المياه"),
    ("سياسية", "politics", "مجلس المحافظة يصوت على مشروع الطرق الريفية"),
    ("اقتصاد", "economy", "الدينار يستقر أمام الدولار في أسواق بغداد"),
    ("اقتصاد", "economy", "صادرات النفط ترتفع عبر موانئ الجنوب"),
    ("اقتصاد", "economy", "مصرف الرافدين يطلق قروضا صغيرة للمزارعين"),
    ("ثقافة", "culture", "معرض بغداد للكتاب يستقبل زواره بعد غياب"),
    ("ثقافة", "culture", "مهرجان المسرح في البصرة يكرم رواد الخشبة"),
    ("ثقافة", "culture", "مخطوطات النجف تعود إلى قاعة العرض بعد الترميم"),
    ("محليات", "local", "حافلات كهربائية جديدة في شوارع الكرادة"),
    ("محليات", "local", "سوق كربلاء القديم يستعيد واجهاته الخشبية"),
    ("محليات", "local", "مشروع تصريف مياه الأمطار في الناصرية يقترب من نهايته"),
]
QUERIES = ["البصرة", "الدينار", "بغداد", "المياه", "مهرجان", "النفط", "الطرق"]


def jpeg(colour: str, size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def build_site(django_user_model) -> dict:
    """Stories with bylines, tags, pictures (real files and renditions), comments, revisions
    and staff users, written the way the back office writes them."""
    ensure_roles()
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="محرر"))
    django_user_model.objects.create_user("reporter", password="pw", is_staff=True)
    reporters = [services.contributor_named(n) for n in ("سلمى الجبوري", "حامد أحمد", "تميم الحسن")]
    images = []
    for n, colour in enumerate(("#2a6f97", "#c44536", "#e9c46a", "#264653")):
        image = Image(alt_text=f"صورة {n}", caption=f"تعليق {n}", credit="تصوير: علي")
        image.file = ContentFile(jpeg(colour), name=f"drill-{n}.jpg")
        images.append(save_image(image))
    articles = []
    for n, (name, slug, title) in enumerate(STORIES):
        section = Section.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        with reversion.create_revision():
            reversion.set_user(editor)
            article = services.save_article(
                Article(
                    title=title,
                    summary=f"موجز: {title}",
                    body=f"<p>{title}. تفاصيل الخبر في فقرة أولى.</p><p>فقرة ثانية رقم {n}.</p>",
                    section=section,
                    status=Article.Status.PUBLISHED,
                    published_at=NOW - timedelta(hours=n + 1),
                    featured_image=images[n % len(images)] if n % 3 == 0 else None,
                ),
                bylines=[services.BylineSpec(reporters[n % 3])],
                tags=services.tags_named(["العراق", name]),
                actor=editor,
            )
        if n % 2:
            with reversion.create_revision():
                reversion.set_user(admin)
                article.summary += " (محدّث)"
                services.save_article(article, actor=admin)
        articles.append(article)
        for k in range(3):
            comment = comments.submit_comment(
                article,
                comments.Submission(text=f"تعليق {k} على الخبر {n}", name=f"قارئ {k}"),
                now=NOW,
            )
            if k < 2:
                comments.approve_comments([comment], by=admin)
    run_queued_tasks()  # indexing, renditions, related stories: what the worker does
    return {"articles": articles, "reporters": reporters}


def site_pages(built: dict) -> list[str]:
    articles = built["articles"]
    urls = ["/", "/feed/", "/sitemap.xml", "/api/v1/articles?limit=100"]
    urls += sorted({a.section.get_absolute_url() for a in articles})
    urls += [a.get_absolute_url() for a in articles]
    urls += [c.get_absolute_url() for c in built["reporters"]]
    urls += [f"/search/?q={q}" for q in QUERIES] + [f"/api/v1/search?q={q}" for q in QUERIES]
    return urls


def render(urls: list[str]) -> dict[str, bytes]:
    cache.clear()
    client = Client()
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = page_bytes(response)
    return pages


def found(queries: list[str]) -> dict[str, list[int]]:
    return {q: search.search(SearchQuery(q, limit=50)).article_ids for q in queries}


class Writers:
    """An editor saving drafts (with revisions) and readers posting comments, in threads."""

    def __init__(self, article: Article, editor_section: Section):
        self.article, self.section = article, editor_section
        self.drafts: list[int] = []
        self.revisions: list[int] = []
        self.comments: list[int] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(self._edit,)),
            threading.Thread(target=self._run, args=(self._comment,)),
        ]

    def _run(self, step):
        try:
            while not self.stop.is_set():
                step(len(self.drafts) + len(self.comments))
        except BaseException as error:  # reported by stop_and_check
            self.errors.append(error)
        finally:
            connections.close_all()

    def _edit(self, n):
        with reversion.create_revision():
            draft = services.save_article(
                Article(title=f"مسودة المحرر رقم {n}", body="<p>نص قيد الكتابة</p>",
                        section=self.section, status=Article.Status.DRAFT),
                bylines=[],
            )  # fmt: skip
        revision = Version.objects.get_for_object(draft).values_list("revision_id", flat=True)
        self.revisions.append(revision[0])
        self.drafts.append(draft.pk)

    def _comment(self, n):
        comment = comments.submit_comment(
            self.article, comments.Submission(text=f"قارئ يكتب الآن {n}"), now=NOW
        )
        self.comments.append(comment.pk)
        time.sleep(0.005)

    def start(self, at_least: int = 3):
        for thread in self.threads:
            thread.start()
        self.wait_for(at_least, at_least)

    def wait_for(self, drafts: int, comments: int):
        """Until each writer has committed that many; they run at their own speeds."""
        deadline = time.monotonic() + 30
        while len(self.drafts) < drafts or len(self.comments) < comments:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, "the writers stalled"
            time.sleep(0.01)

    def stop_and_check(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        assert not self.errors, self.errors

    def written_later(self, table: str, row: dict) -> bool:
        """Rows of the writers' work: the snapshot may hold any prefix of it."""
        drafts, revisions = set(self.drafts), set(self.revisions)
        return {
            "articles_article": lambda: row["id"] in drafts,
            "articles_articleevent": lambda: row["article_id"] in drafts,
            "articles_byline": lambda: row["article_id"] in drafts,
            "reversion_revision": lambda: row["id"] in revisions,
            "reversion_version": lambda: row["revision_id"] in revisions,
            "search_fts": lambda: row["rowid"] in drafts,
            "search_document": lambda: row["article_id"] in drafts,
            "comments_comment": lambda: row["id"] in set(self.comments),
            # The drafts' index tasks, queued with them; the restore's own edge purge,
            # queued on the live site after the backup was taken.
            TASKS_TABLE: lambda: (
                row["task_path"].endswith("purge_edge")
                or bool(set(_task_article_ids(row)) & drafts)
            ),
        }.get(table, lambda: False)()


TASKS_TABLE = "django_tasks_database_dbtaskresult"


def _task_article_ids(row: dict) -> list:
    call = row["args_kwargs"]
    call = json.loads(call) if isinstance(call, str) else call
    first = call["args"][0] if call["args"] else []
    return first if isinstance(first, list) else [first]


def write_report(vendor: str, title: str, compared: dict, extra: list[str]) -> None:
    labels = model_tables()
    lines = [title, "", f"{'table (model)':<60} rows compared"]
    for table, rows in sorted(compared.items()):
        name = f"{table} ({labels[table]})" if table in labels else table
        lines.append(f"{name:<60} {rows}")
    lines += ["", *extra]
    out = BASE_DIR / "test-artifacts"
    out.mkdir(exist_ok=True)
    slug = title.split(":")[0].replace(" ", "-")
    (out / f"{slug}-{vendor}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@ON_DISK
def test_backup_taken_while_writing_restores_every_row_file_page_and_search(
    live_site, empty_site, django_user_model, settings, tmp_path
):
    with time_machine.travel(NOW, tick=False):
        built = build_site(django_user_model)
        urls = site_pages(built)
        pages_before = render(urls)
        results_before = found(QUERIES)
        media_before = media_files(live_site.media_root)
        assert len(media_before) > 4  # originals and their renditions

        writers = Writers(built["articles"][0], built["articles"][0].section)
        writers.start()
        committed_before = (len(writers.drafts), len(writers.comments))
        started = time.perf_counter()
        backup = create_backup(live_site, tmp_path / "backups")
        backup_seconds = time.perf_counter() - started
        during = (len(writers.drafts), len(writers.comments))
        writers.wait_for(during[0] + 3, during[1] + 3)
        writers.stop_and_check()
        close_old_connections()

        restored = restore_backup(backup.path, empty_site)
        source_rows, restored_rows = read_tables(live_site), read_tables(empty_site)
        # Document counts per word are updated after each save commits (in a transaction
        # of their own) and the writers kept moving them after the snapshot: a derived
        # table, recomputed by rebuild_search_index, compared exactly in the drills
        # without writers.
        source_rows.pop("search_term", None), restored_rows.pop("search_term", None)
        compared = compare_tables(source_rows, restored_rows, writers.written_later)

        # The writers' work is in the backup as one consistent prefix: every draft that
        # was committed before the backup began, each with its byline-less revision.
        # (In id order: read_tables sorts rows by their text, where 100 comes before 57.)
        kept = sorted(
            r["id"] for r in restored_rows["articles_article"] if r["id"] in writers.drafts
        )
        assert kept == writers.drafts[: len(kept)]
        assert len(kept) >= committed_before[0]
        kept_revisions = {r["revision_id"] for r in restored_rows["reversion_version"]}
        assert set(writers.revisions[: len(kept)]) <= kept_revisions
        kept_comments = {r["id"] for r in restored_rows["comments_comment"]}
        assert set(writers.comments[: committed_before[1]]) <= kept_comments

        media_after = media_files(empty_site.media_root)
        assert media_after == media_before
        assert (empty_site.data_dir / "secret_key").read_bytes() == (
            live_site.data_dir / "secret_key"
        ).read_bytes()

        settings.MEDIA_ROOT = empty_site.media_root
        with default_database(empty_site.database["NAME"]):
            pages_after = render(urls)
            results_after = found(QUERIES)
    different = [url for url in urls if pages_after[url] != pages_before[url]]
    assert not different
    assert results_after == results_before
    assert all(results_before.values())

    vendor = live_site.vendor
    write_report(
        vendor,
        f"restore-drill: backup while an editor and readers write ({vendor})",
        compared,
        [
            f"media files compared byte for byte: {len(media_after)}",
            f"pages compared byte for byte: {len(urls)}",
            f"search queries compared: {len(QUERIES)}",
            f"writes committed before the backup began: {committed_before}; "
            f"when it ended: {during}; in the restored site: "
            f"{len(kept)} drafts, {len(kept_comments & set(writers.comments))} comments",
            f"backup {backup_seconds:.2f} s, restore {restored.seconds:.2f} s",
        ],
    )


def ndjson_file(path, count: int) -> None:
    records = [
        {
            "url": f"https://paper.example/{n}",
            "title": f"خبر مؤرشف رقم {n} عن الكهرباء",
            "content": f"فقرة أولى من الخبر {n}.\nفقرة ثانية.",
            "date": f"2015-08-{n % 28 + 1:02d} 10:00:00",
            "author": f"محرر الأرشيف {n % 5}",
            "source": "archive",
        }
        for n in range(count)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


@ON_DISK
def test_backup_after_an_interrupted_import_restores_it_and_the_rerun_completes(
    live_site, empty_site, tmp_path, monkeypatch
):
    source = tmp_path / "archive.ndjson"
    ndjson_file(source, 300)
    options = ndjson.NdjsonOptions(time_zone=ZoneInfo("Asia/Riyadh"), batch_size=100)
    real = ndjson.NdjsonImporter.meet_contributors
    calls = {"n": 0}

    def killed_in_the_third_batch(importer, names):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(importer, names)

    monkeypatch.setattr(ndjson.NdjsonImporter, "meet_contributors", killed_in_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        ndjson.import_ndjson(source, options)
    monkeypatch.setattr(ndjson.NdjsonImporter, "meet_contributors", real)
    assert Article.objects.count() == 200

    backup = create_backup(live_site, tmp_path / "backups")
    restored = restore_backup(backup.path, empty_site)
    # The restore's own edge purge is queued on the live site after the backup was taken.
    compared = compare_tables(
        read_tables(live_site),
        read_tables(empty_site),
        lambda table, row: table == TASKS_TABLE and row["task_path"].endswith("purge_edge"),
    )
    assert compared["articles_article"] == 200

    with default_database(empty_site.database["NAME"]):
        assert ImportRun.objects.get().status == ImportRun.Status.INTERRUPTED
        report = ndjson.import_ndjson(source, options)
        assert (report.created, report.skipped) == (100, 200)
        assert Article.objects.count() == Article.objects.values("external_id").distinct().count()
        assert Byline.objects.count() == 300
        last = Article.objects.get(external_id="https://paper.example/299")
        assert last.pk in search.search(SearchQuery(last.title, limit=5)).article_ids
    write_report(
        live_site.vendor,
        f"restore-drill-import: after an import killed in its third batch ({live_site.vendor})",
        compared,
        [f"restore {restored.seconds:.2f} s; the rerun on the restored site: "
         f"created {report.created}, skipped {report.skipped}"],
    )  # fmt: skip
    assert Comment.objects.count() == 0
