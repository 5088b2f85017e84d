"""Roles, transitions, scheduling, concurrent edits, revisions, preview and the audit log."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from reversion.models import Version

from jarida.articles import services, workflow
from jarida.articles.models import Article, ArticleEvent
from jarida.search.backends.base import SearchQuery
from jarida.search.services import search
from tests.articles.conftest import article_form

pytestmark = pytest.mark.django_db

# role → the workflow actions it may take on someone else's draft / in-review / published
# article, and whether it may edit someone else's draft.
MATRIX = {
    "مراسل": (set(), set(), set(), False),
    "مترجم": (set(), set(), set(), False),
    "محرر": ({"submit", "publish"}, {"return", "publish"}, {"unpublish"}, True),
    "مشرف التعليقات": (set(), set(), set(), False),
    "مدير الإعلانات": (set(), set(), set(), False),
}


@pytest.mark.parametrize("role", MATRIX)
def test_each_role_may_take_exactly_its_transitions(member, make_article, role):
    user = member(role)
    on_draft, on_review, on_published, edits_others = MATRIX[role]
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    review = make_article(status=Article.Status.REVIEW, published_at=None)
    live = make_article()
    assert set(workflow.allowed_actions(user, draft)) == on_draft
    assert set(workflow.allowed_actions(user, review)) == on_review
    assert set(workflow.allowed_actions(user, live)) == on_published
    assert workflow.can_edit(user, draft) is edits_others


def test_reporter_submits_own_draft_but_cannot_publish_it(member, make_article):
    reporter = member("مراسل")
    draft = make_article(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    assert workflow.allowed_actions(reporter, draft) == ["submit"]
    workflow.transition(draft, "submit", reporter)
    assert draft.status == Article.Status.REVIEW
    assert not workflow.can_edit(reporter, draft)  # in review it is the editors' now
    with pytest.raises(workflow.TransitionRefused, match="صلاحية"):
        workflow.transition(draft, "publish", reporter)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_refused_moves_leave_the_article_alone(member, make_article):
    editor = member("محرر")
    live = make_article()
    with pytest.raises(workflow.TransitionRefused, match="لا يمكن"):
        workflow.transition(live, "submit", editor)
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(live, "no-such-move", editor)
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED


def test_every_move_is_recorded_with_who_and_when(member, make_article):
    editor = member("محرر")
    article = make_article(status=Article.Status.REVIEW, published_at=None)
    workflow.transition(article, "publish", editor)
    workflow.transition(article, "unpublish", editor)
    events = list(article.events.order_by("at", "pk").values_list("action", "actor"))
    assert events[-2:] == [("published", editor.pk), ("unpublished", editor.pk)]
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_scheduled_article_appears_by_the_clock_on_page_list_and_search(
    member, make_article, client, run_tasks
):
    editor = member("محرر")
    due = timezone.now() + timedelta(hours=3)
    article = make_article(
        title="افتتاح جسر الجادرية الجديد", status=Article.Status.DRAFT, published_at=due
    )
    workflow.transition(article, "publish", editor)
    run_tasks()  # the index entry's status follows by the worker's task, long before it is due
    assert article.events.first().action == ArticleEvent.Action.SCHEDULED
    url = article.get_absolute_url()

    def visible():
        page = client.get(url).status_code == 200
        listed = article.title in client.get("/local/").content.decode()
        found = search(SearchQuery("جسر الجادرية")).article_ids == [article.pk]
        return page, listed, found

    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert visible() == (False, False, False)
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert visible() == (True, True, True)


def test_scheduled_list_shows_what_goes_out_when(member, make_article, client):
    editor = member("محرر")
    client.force_login(editor)
    soon = make_article(title="يصدر بعد ساعة", published_at=timezone.now() + timedelta(hours=1))
    later = make_article(title="يصدر غدًا", published_at=timezone.now() + timedelta(days=1))
    make_article(title="منشور من قبل")
    html = client.get("/admin/articles/scheduledarticle/").content.decode()
    assert html.index(soon.title) < html.index(later.title)
    assert "منشور من قبل" not in html


def test_second_concurrent_save_is_refused_and_keeps_its_text(member, make_article, client):
    editor = member("محرر")
    client.force_login(editor)
    article = make_article(title="عنوان أول")
    url = f"/admin/articles/article/{article.pk}/change/"
    first = article_form(article, title="تعديل المحرر الأول")
    second = article_form(article, title="تعديل المحرر الثاني", body="<p>نص لا يضيع</p>")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "حفظ شخص آخر هذا المقال" in html
    assert "تعديل المحرر الثاني" in html and "نص لا يضيع" in html  # shown back to copy
    article.refresh_from_db()
    assert article.title == "تعديل المحرر الأول"


def test_service_refuses_a_save_from_a_stale_copy(make_article):
    article = make_article()
    stale = Article.objects.get(pk=article.pk)
    article.title = "نسخة أحدث"
    services.save_article(article)
    stale.title = "نسخة قديمة"
    with pytest.raises(services.EditConflict):
        services.save_article(stale)
    assert Article.objects.get(pk=article.pk).title == "نسخة أحدث"


def test_revisions_compare_right_to_left_and_restore(member, make_article, client):
    editor = member("محرر")
    client.force_login(editor)
    article = make_article(title="العنوان الأصلي", body="<p>الفقرة الأولى كما كتبت.</p>")
    url = f"/admin/articles/article/{article.pk}/change/"
    client.post(url, article_form(article))
    article.refresh_from_db()
    client.post(
        url, article_form(article, title="العنوان المعدل", body="<p>الفقرة الأولى بعد التحرير.</p>")
    )
    article.refresh_from_db()
    newer, older = Version.objects.get_for_object(article)[:2]
    html = client.get(
        f"/admin/articles/article/{article.pk}/compare/{older.pk}/{newer.pk}/"
    ).content.decode()
    assert 'dir="rtl"' in html
    assert "<del>الأصلي</del>" in html and "<ins>المعدل</ins>" in html
    assert "<del>كما كتبت.</del>" in html and "<ins>بعد التحرير.</ins>" in html
    # Restore the older revision: the text comes back, the workflow state does not move.
    history = client.get(f"/admin/articles/article/{article.pk}/history/{older.pk}/")
    assert history.status_code == 302 and "/compare/" in history["Location"]
    response = client.post(f"/admin/articles/article/{article.pk}/restore/{older.pk}/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "العنوان الأصلي"
    assert article.body == "<p>الفقرة الأولى كما كتبت.</p>"
    assert article.status == Article.Status.PUBLISHED and article.is_visible
    assert article.events.first().action == ArticleEvent.Action.RESTORED


def test_staff_preview_a_draft_that_readers_cannot_reach(member, make_article, client):
    draft = make_article(title="مسودة سرية", status=Article.Status.DRAFT, published_at=None)
    assert client.get(f"/local/{draft.pk}/").status_code == 404
    preview = f"/admin/articles/article/{draft.pk}/preview/"
    assert client.get(preview).status_code == 302  # to the login page
    client.force_login(member("محرر"))
    response = client.get(preview)
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    html = response.content.decode()
    assert "مسودة سرية" in html and "معاينة" in html and 'class="article-title"' in html


def test_reporters_see_only_their_own_articles(member, make_article, client):
    reporter = member("مراسل")
    mine = make_article(title="خبري أنا", created_by=reporter, status=Article.Status.DRAFT)
    make_article(title="خبر زميل", status=Article.Status.DRAFT)
    client.force_login(reporter)
    html = client.get("/admin/articles/article/").content.decode()
    assert mine.title in html and "خبر زميل" not in html


def test_delete_is_in_the_audit_log(member, make_article, client):
    editor = member("محرر")
    client.force_login(editor)
    article = make_article(title="خبر للحذف")
    client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    event = ArticleEvent.objects.get(action=ArticleEvent.Action.DELETED)
    assert event.article_title == "خبر للحذف" and event.actor == editor


def test_admin_search_is_the_arabic_search(member, make_article, client):
    client.force_login(member("محرر"))
    make_article(title="السياسة الأميركية في المنطقة", status=Article.Status.DRAFT)
    html = client.get("/admin/articles/article/", {"q": "الامريكيه"}).content.decode()
    assert "السياسة الأميركية في المنطقة" in html


def test_a_reporter_cannot_backdate_a_draft_for_the_editor_to_publish(member, make_article, client):
    reporter, editor = member("مراسل", "salma"), member("محرر", "firas")
    draft = make_article(title="خبر المراسلة", status=Article.Status.DRAFT, published_at=None)
    draft.created_by = reporter
    draft.save()
    client.force_login(reporter)
    form = article_form(draft, published_at_0="2019-01-01", published_at_1="08:00:00")
    assert client.post(f"/admin/articles/article/{draft.pk}/change/", form).status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is None  # the field is not the reporter's to set
    workflow.transition(draft, "publish", editor)
    assert timezone.now() - draft.published_at < timedelta(minutes=1)
