"""Comment rules: moderation modes, trust, banned words, links, closing, replies, signals."""

from datetime import datetime, timedelta

import pytest
import time_machine

from jarida.comments import services
from jarida.comments.models import Comment
from jarida.comments.services import CommentRejected, Submission, submit_comment
from jarida.comments.signals import comment_visibility_changed
from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db

PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING


def _submit(article, text="تعليق", **fields):
    fields.setdefault("ip_address", "203.0.113.7")
    return submit_comment(article, Submission(text=text, **fields))


@pytest.fixture
def announced():
    """The comments comment_visibility_changed was sent for, in order."""
    seen = []

    def receiver(sender, comment, article, **kwargs):
        seen.append((comment.pk, article.pk))

    comment_visibility_changed.connect(receiver)
    yield seen
    comment_visibility_changed.disconnect(receiver)


def test_pre_moderation_is_the_default_and_holds_every_comment(article):
    assert SiteSettings.load().comment_moderation == SiteSettings.MODERATION_PRE
    comment = _submit(article)
    assert comment.status == PENDING
    assert comment.held_reason == "مراجعة قبل النشر"
    assert services.published_thread(article).count == 0


def test_post_moderation_publishes_at_once(article, site):
    site.comment_moderation = SiteSettings.MODERATION_POST
    site.save()
    assert _submit(article).status == PUBLISHED
    assert services.published_thread(article).count == 1


def test_a_commenter_with_enough_approved_comments_skips_the_queue(article, site, make_comment):
    site.comment_trusted_after = 2
    site.save()
    who = {"name": "سلمى", "email": "salma@example.com"}
    make_comment(article, "أول", **who)
    assert _submit(article, "ثاني", **who).status == PENDING
    make_comment(article, "ثالث", **who)
    assert _submit(article, "رابع", **who).status == PUBLISHED
    # Same e-mail with another name, or no e-mail: still held.
    assert _submit(article, "خامس", name="غيرها", email=who["email"]).status == PENDING
    assert _submit(article, "سادس", name="سلمى").status == PENDING


def test_trust_threshold_zero_means_nobody_skips_the_queue(article, site, make_comment):
    site.comment_trusted_after = 0
    site.save()
    for n in range(5):
        make_comment(article, f"قديم {n}", email="a@example.com")
    assert _submit(article, email="a@example.com").status == PENDING


@pytest.mark.parametrize(
    "variant",
    [
        "كلمةٌ مَمْنُوعَة هنا",  # tashkeel
        "كلمة ممنـــوعة هنا",  # tatweel
        "كلمة ممنوعه هنا",  # ة written as ه
        "هنا والممنوعة",  # proclitics و + ال
        "\u202eممنوعة",  # hidden behind a bidi control
        "ممن\u200bوعة",  # split by a zero-width space
        "ﻣﻤﻨﻮﻋﺔ",  # presentation forms
    ],
)
def test_banned_words_match_after_arabic_normalisation(article, site, variant):
    site.comment_banned_words = "ممنوعة\nإهانة كبيرة"
    site.save()
    with pytest.raises(CommentRejected) as rejected:
        _submit(article, variant)
    assert rejected.value.code == "banned"
    assert "«ممنوعة»" in rejected.value.message
    assert not Comment.objects.exists()


def test_banned_phrases_and_hamza_forms(site):
    banned = "إهانة كبيرة\nأحمق"
    assert services.banned_words_in("هذه اهانه كبيره فعلًا", banned) == ["إهانة كبيرة"]
    assert services.banned_words_in("يا احمق", banned) == ["أحمق"]
    assert services.banned_words_in("يا آحمق", banned) == ["أحمق"]


def test_banned_words_match_whole_words_only():
    assert services.banned_words_in("الممنوعات كثيرة", "ممنوع") == []
    assert services.banned_words_in("برز اللاعب", "رز") == []  # short words: exact only
    assert services.banned_words_in("أكلت رز", "رز") == ["رز"]
    assert services.banned_words_in("Spammy SPAM", "spam") == ["spam"]


def test_too_many_links_hold_a_comment_even_in_post_moderation(article, site):
    site.comment_moderation = SiteSettings.MODERATION_POST
    site.comment_max_links = 2
    site.save()
    assert _submit(article, "a.com b.com").status == PUBLISHED
    held = _submit(article, "a.com b.com https://c.example")
    assert (held.status, held.held_reason) == (PENDING, "روابط كثيرة")


def test_comments_can_be_closed_per_article(article):
    article.comments_open = False
    article.save()
    with pytest.raises(CommentRejected) as rejected:
        _submit(article)
    assert rejected.value.code == "closed"


def test_comments_close_automatically_after_the_set_age(make_article, site):
    article = make_article(published_at=datetime.fromisoformat("2026-01-01T10:00:00+03:00"))
    site.comment_close_after_days = 7
    site.save()
    with time_machine.travel(datetime.fromisoformat("2026-01-08T09:59:00+03:00"), tick=False):
        assert services.comments_are_open(article)
        _submit(article, "في الوقت")
    with time_machine.travel(datetime.fromisoformat("2026-01-08T10:00:00+03:00"), tick=False):
        assert not services.comments_are_open(article)
        with pytest.raises(CommentRejected):
            _submit(article, "متأخر")


def test_auto_close_zero_means_never(make_article, site):
    article = make_article(published_at=datetime.fromisoformat("2001-01-01T10:00:00+03:00"))
    assert site.comment_close_after_days == 0
    assert services.comments_are_open(article)


def test_the_same_text_from_the_same_sender_is_a_duplicate(article):
    _submit(article, "تعليق مكرر", email="a@example.com")
    for variant in ("تعليقٌ مكرّر", "  تعليق   مكرر ", "تعليق مكرر"):
        with pytest.raises(CommentRejected) as rejected:
            _submit(article, variant, ip_address="198.51.100.1", email="A@example.com")
        assert rejected.value.code == "duplicate"
    # Another sender, or another article, is not a duplicate.
    _submit(article, "تعليق مكرر", ip_address="198.51.100.2")


def test_duplicates_are_only_looked_for_within_the_window(article, settings):
    settings.COMMENTS_DUPLICATE_WINDOW = 3600
    with time_machine.travel(datetime.fromisoformat("2026-02-01T10:00:00+03:00"), tick=False):
        _submit(article, "مرة")
    with time_machine.travel(datetime.fromisoformat("2026-02-01T11:00:01+03:00"), tick=False):
        _submit(article, "مرة")
    assert Comment.objects.count() == 2


def test_a_reply_to_a_reply_joins_the_top_level_comment(article, make_comment):
    top = make_comment(article, "أصل")
    reply = make_comment(article, "رد", parent=top)
    answer = _submit(article, "رد على الرد", parent_id=reply.pk)
    assert answer.parent_id == top.pk


def test_replies_only_to_published_comments_of_the_same_article(
    article, make_article, make_comment
):
    pending = make_comment(article, "لم يراجع", status=PENDING)
    elsewhere = make_comment(make_article(), "مقال آخر")
    for parent in (pending, elsewhere):
        with pytest.raises(CommentRejected) as rejected:
            _submit(article, parent_id=parent.pk)
        assert rejected.value.code == "parent"


def test_thread_is_oldest_first_with_replies_and_counts_only_what_is_shown(article, make_comment):
    with time_machine.travel(datetime.fromisoformat("2026-03-01T10:00:00+03:00")) as clock:
        first = make_comment(article, "الأول")
        clock.shift(60)
        second = make_comment(article, "الثاني")
        clock.shift(60)
        reply = make_comment(article, "رد على الأول", parent=first)
        make_comment(article, "رد ينتظر", parent=first, status=PENDING)
        make_comment(article, "مرفوض", status=Comment.Status.REJECTED)
        hidden_parent = make_comment(article, "مزعج", status=Comment.Status.SPAM)
        make_comment(article, "رد على المزعج", parent=hidden_parent)
    thread = services.published_thread(article)
    assert [c.pk for c in thread.comments] == [first.pk, second.pk]
    assert [c.pk for c in thread.comments[0].shown_replies] == [reply.pk]
    assert thread.count == 3


def test_approving_and_removing_update_the_thread_and_send_the_signal(
    article, admin_user, announced, django_capture_on_commit_callbacks
):
    comment = _submit(article)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.approve_comments([comment], by=admin_user) == 1
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (PUBLISHED, admin_user)
    assert comment.moderated_at is not None
    assert services.published_thread(article).count == 1
    assert announced == [(comment.pk, article.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_comments([comment], by=admin_user)
    assert services.published_thread(article).count == 0
    assert len(announced) == 2

    # Pending → spam changes nothing on the page: no signal.
    other = _submit(article, "آخر")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_spam([other], by=admin_user)
    assert len(announced) == 2


def test_a_comment_published_on_arrival_and_a_deleted_one_send_the_signal(
    article, site, announced, django_capture_on_commit_callbacks
):
    site.comment_moderation = SiteSettings.MODERATION_POST
    site.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment = _submit(article)
    pk = comment.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_comments([comment])
    # A deleted comment has no primary key any more; its article says which page changed.
    assert announced == [(pk, article.pk), (None, article.pk)]


def test_email_is_stored_lowercase_and_user_agent_truncated(article):
    comment = _submit(article, email="Reader@Example.COM", user_agent="x" * 1000)
    assert comment.email == "reader@example.com"
    assert len(comment.user_agent) == 300


def test_closes_at_follows_the_setting(make_article, site):
    article = make_article()
    site.comment_close_after_days = 30
    site.save()
    assert services.closes_at(article) == article.published_at + timedelta(days=30)
