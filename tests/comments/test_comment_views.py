"""The comment block on the article page and the reader's way through posting."""

import re
import time
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils.html import strip_tags

from jarida.comments.forms import TOO_FAST, sign_started
from jarida.comments.limits import client_ip
from jarida.comments.models import Comment
from jarida.core import dates
from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db

EMOJI_TASHKEEL = "رأيٌ 👍🏽 في الخَبَر\r\nسطر ثانٍ 🇮🇶"


def _text(html: str, css_class: str) -> str:
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with class {css_class}"
    return " ".join(strip_tags(match.group(2)).split())


def _textarea(html: str) -> str:
    match = re.search(r'<textarea id="comment-text"[^>]*>\n(.*?)</textarea>', html, re.S)
    assert match, "no comment textarea"
    return match.group(1)


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


# The block on the article page ------------------------------------------------------


def test_article_page_shows_the_form_counter_and_count(client, article, make_comment):
    make_comment(article, "أول تعليق")
    make_comment(article, "ينتظر", status=Comment.Status.PENDING)
    html = client.get(article.get_absolute_url()).content.decode()
    assert _text(html, "block-heading") == "انضم الى المحادثة"
    assert _text(html, "comment-counter") == "255 حرف متبقي"
    assert 'aria-live="polite"' in html
    assert _text(html, "comments-count") == "جميع التعليقات 1"
    assert "ينتظر" not in html
    assert html.index("انضم الى المحادثة") < html.index("حرف متبقي") < html.index("جميع التعليقات")


def test_seed_page_comment_block_reads_like_the_seed(client, seed_article, seed_data):
    seed = seed_data["comments"]
    Comment.objects.create(
        article=seed_article, text=seed["items"][0]["text"], status="published", text_key="x"
    )
    html = client.get(seed_article.get_absolute_url()).content.decode()
    assert _text(html, "block-heading") == seed["heading"]
    assert _text(html, "comment-counter") == seed["counter_text"]
    assert _text(html, "comments-count") == seed["count_text"]
    assert _text(html, "comment-author") == seed["items"][0]["author"] == "Anonymous"
    assert _text(html, "comment-text") == seed["items"][0]["text"]
    order = [seed["heading"], seed["counter_text"].split()[1], "جميع التعليقات", "Anonymous"]
    positions = [html.index(marker, html.index('id="comments"')) for marker in order]
    assert positions == sorted(positions)


def test_article_page_with_the_comment_form_sets_no_cookies(article):
    client = Client(enforce_csrf_checks=True)
    response = client.get(article.get_absolute_url())
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert 'name="csrfmiddlewaretoken" value=""' in response.content.decode()


def test_comment_text_is_escaped_and_links_are_not_clickable(client, article, make_comment):
    markup = '<script>alert(1)</script> <a href="javascript:x">x</a>'
    make_comment(article, f"{markup} https://spam.example {{{{ 7*7 }}}}\nسطر")
    html = client.get(article.get_absolute_url()).content.decode()
    block = html[html.index('id="comments"') :]
    assert "<script>alert" not in block and "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert 'href="https://spam.example' not in block and 'href="javascript' not in block
    assert "{{ 7*7 }}" in block and "<br>سطر" in block


def test_email_is_never_shown_and_no_name_means_the_default_name(
    client, article, make_comment, site
):
    make_comment(article, "بلا اسم", email="secret@example.com")
    make_comment(article, "باسم", name="حسن", email="hasan@example.com")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "example.com" not in html
    assert re.findall(r'class="comment-author">([^<]*)<', html) == ["Anonymous", "حسن"]
    site.comment_default_name = "قارئ"
    site.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'class="comment-author">([^<]*)<', html) == ["قارئ", "حسن"]


def test_comments_oldest_first_with_date_and_replies_underneath(client, article, make_comment):
    with time_machine.travel(datetime.fromisoformat("2026-01-02T09:30:00+03:00")) as clock:
        first = make_comment(article, "الأول")
        clock.shift(3600)
        make_comment(article, "الثاني")
        make_comment(article, "رد على الأول", parent=first)
    html = client.get(article.get_absolute_url()).content.decode()
    texts = re.findall(r'class="comment-text" dir="auto">([^<]*)<', html)
    assert texts == ["الأول", "رد على الأول", "الثاني"]
    assert "2 يناير, 2026: 09:30 ص" in html
    assert 'class="comment-replies"' in html
    assert _text(html, "comments-count") == "جميع التعليقات 3"
    assert f'href="/comments/reply/{first.pk}/"' in html


def test_closed_article_shows_no_form(client, article, make_comment):
    make_comment(article, "قديم")
    article.comments_open = False
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "انضم الى المحادثة" not in html and "comment-form" not in html
    assert "التعليقات مغلقة على هذا المقال." in html
    assert _text(html, "comments-count") == "جميع التعليقات 1"


def test_counter_and_count_follow_the_digit_setting(client, article, site):
    site.digits = dates.DIGITS_ARABIC_INDIC
    site.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert _text(html, "comment-counter") == "٢٥٥ حرف متبقي"
    assert _text(html, "comments-count") == "جميع التعليقات ٠"


@pytest.mark.parametrize("comments", [0, 12])
def test_article_page_queries_stay_fixed_whatever_the_comments(
    client, article, make_comment, django_assert_num_queries, comments
):
    for n in range(comments):
        parent = make_comment(article, f"تعليق {n}")
        make_comment(article, f"رد {n}", parent=parent, name="سلمى")
    url = article.get_absolute_url()
    client.get(url)  # warm the settings and menu caches
    # Article, bylines, tags, and one query for the whole thread (count included).
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


# Posting ----------------------------------------------------------------------------


def test_accepted_comment_says_it_awaits_moderation(client, article, post_comment):
    response = post_comment(article, EMOJI_TASHKEEL, name="قارئ", email="q@example.com")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "رأيٌ 👍🏽 في الخَبَر\nسطر ثانٍ 🇮🇶"
    assert (comment.status, comment.ip_address) == (Comment.Status.PENDING, "203.0.113.7")
    page = client.get(response["Location"])
    assert "بانتظار المراجعة" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_accepted_comment_in_post_moderation_says_it_is_published(
    client, article, post_comment, site
):
    site.comment_moderation = SiteSettings.MODERATION_POST
    site.save()
    response = post_comment(article)
    page = client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert "نُشر تعليقك" in page
    assert f"#comment-{comment.pk}" in page
    assert "جميع التعليقات 1" in client.get(article.get_absolute_url()).content.decode()


def test_received_page_with_a_forged_ticket_is_not_found(client):
    assert client.get("/comments/received/?c=1").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   \u200b "}, "اكتب تعليقك قبل الإرسال."),
        ({"text": "ب" * 256}, "تعليقك أطول من 255 حرفًا (فيه 256). اختصره قليلًا ثم أرسله."),
        ({"email": "not-an-address"}, "عنوان البريد الإلكتروني غير صحيح."),
        ({"name": "ن" * 61}, "الاسم أطول من 60 حرفًا. اختصره."),
    ],
)
def test_rejected_comment_comes_back_with_the_text_intact_and_what_to_fix(
    article, post_comment, fields, message
):
    data = {"text": "نص القارئ\r\nبسطرين 😀", "name": "سلمى", "email": "s@example.com"} | fields
    response = post_comment(article, **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "لم نرسل تعليقك بعد" in html
    assert _unescape(_textarea(html)) == data["text"]
    assert f'value="{data["name"]}"' in html and f'value="{data["email"]}"' in html
    assert not Comment.objects.exists()
    assert "no-store" in response["Cache-Control"]


def test_honeypot_looks_accepted_but_stores_nothing(client, article, post_comment):
    response = post_comment(article, website="http://spam.example")
    assert response.status_code == 302
    assert "بانتظار المراجعة" in client.get(response["Location"]).content.decode()
    assert not Comment.objects.exists()


def test_a_form_sent_faster_than_the_minimum_fill_time_comes_back(article, post_comment, settings):
    assert settings.COMMENTS_MIN_FILL_SECONDS <= 5
    with time_machine.travel(datetime.fromisoformat("2026-01-05T12:00:00+03:00"), tick=False) as t:
        response = post_comment(article, "سريع جدًا", started=sign_started())
        html = response.content.decode()
        assert response.status_code == 400
        assert TOO_FAST in html
        assert _unescape(_textarea(html)) == "سريع جدًا"
        stamp = re.search(r'name="started" value="([^"]+)"', html).group(1)
        t.shift(settings.COMMENTS_MIN_FILL_SECONDS)
        assert post_comment(article, "سريع جدًا", started=stamp).status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("stamp", ["", "forged", "1700000000"])
def test_a_missing_or_forged_fill_time_stamp_counts_as_too_fast(article, post_comment, stamp):
    response = post_comment(article, started=stamp)
    assert response.status_code == 400
    assert TOO_FAST in response.content.decode()


def test_rate_limit_per_ip_allows_five_in_ten_minutes(article, post_comment):
    with time_machine.travel(datetime.fromisoformat("2026-01-05T12:00:00+03:00"), tick=False):
        for n in range(5):
            assert post_comment(article, f"تعليق رقم {n}").status_code == 302
        response = post_comment(article, "السادس")
        assert response.status_code == 429
        assert "أرسلت تعليقات كثيرة في وقت قصير" in response.content.decode()
        assert _unescape(_textarea(response.content.decode())) == "السادس"
        # Another reader is not held back.
        assert post_comment(article, "قارئ آخر", ip="198.51.100.9").status_code == 302
    with time_machine.travel(datetime.fromisoformat("2026-01-05T12:21:00+03:00"), tick=False):
        assert post_comment(article, "السادس").status_code == 302


# Frozen clocks: the limiter's ten-minute windows never split a test's posts in two.
@time_machine.travel(datetime.fromisoformat("2026-01-05T12:00:00+03:00"), tick=False)
def test_rate_limit_per_email_across_addresses(article, post_comment):
    for n in range(5):
        response = post_comment(article, f"رقم {n}", ip=f"198.51.100.{n}", email="x@example.com")
        assert response.status_code == 302
    response = post_comment(article, "رقم 6", ip="198.51.100.77", email="X@Example.com")
    assert response.status_code == 429


@time_machine.travel(datetime.fromisoformat("2026-01-05T12:00:00+03:00"), tick=False)
def test_ipv6_readers_are_limited_per_64(article, post_comment):
    for n in range(5):
        assert post_comment(article, f"رقم {n}", ip=f"2001:db8::{n + 1}").status_code == 302
    assert post_comment(article, "رقم 6", ip="2001:db8::ffff").status_code == 429
    assert post_comment(article, "رقم 6", ip="2001:db8:0:1::1").status_code == 302


def test_duplicate_submission_is_refused_with_a_message(article, post_comment):
    assert post_comment(article, "نفس النص").status_code == 302
    response = post_comment(article, "نفس  النصّ")
    assert response.status_code == 409
    assert "وصلنا هذا التعليق منك من قبل" in response.content.decode()
    assert Comment.objects.count() == 1


def test_banned_word_comes_back_naming_the_word(article, post_comment, site):
    site.comment_banned_words = "شتيمة"
    site.save()
    response = post_comment(article, "هذه شَتيمـة واضحة")
    assert response.status_code == 400
    html = response.content.decode()
    assert "في تعليقك كلمة لا ننشرها: «شتيمة»" in html
    assert _unescape(_textarea(html)) == "هذه شَتيمـة واضحة"


def test_posting_on_a_closed_article_keeps_the_text_to_copy(article, post_comment):
    article.comments_open = False
    article.save()
    response = post_comment(article, "كتبته قبل الإغلاق")
    assert response.status_code == 403
    html = response.content.decode()
    assert "التعليقات مغلقة على هذا المقال" in html
    assert _unescape(_textarea(html)) == "كتبته قبل الإغلاق"


def test_posting_on_an_unpublished_article_is_not_found(make_article, post_comment):
    draft = make_article(status="draft")
    assert post_comment(draft).status_code == 404


def test_reply_page_works_without_javascript(client, article, make_comment, post_comment):
    parent = make_comment(article, "تعليق يستحق الرد", name="سلمى")
    html = client.get(f"/comments/reply/{parent.pk}/").content.decode()
    assert "ردًّا على <bdi>سلمى</bdi>" in html
    assert f'name="parent" value="{parent.pk}"' in html
    assert post_comment(article, "ردي", parent=str(parent.pk)).status_code == 302
    assert Comment.objects.get(text="ردي").parent == parent


# CSRF with cached pages ---------------------------------------------------------------


def test_token_endpoint_hands_out_a_token_uncached(article):
    client = Client(enforce_csrf_checks=True)
    response = client.get("/comments/token/")
    assert response["Cache-Control"].count("private") and "no-store" in response["Cache-Control"]
    assert "csrftoken" in response.cookies
    data = response.json()
    data_started = data["started"]
    with time_machine.travel(time.time() + 10):
        posted = client.post(
            f"/comments/post/{article.pk}/",
            {"text": "مع الرمز", "started": data_started, "csrfmiddlewaretoken": data["csrf"]},
        )
    assert posted.status_code == 302
    assert Comment.objects.get().text == "مع الرمز"


def test_without_javascript_the_post_lands_on_a_confirmation_page_that_keeps_the_text(article):
    client = Client(enforce_csrf_checks=True)
    page = client.get(article.get_absolute_url()).content.decode()
    # The cached page holds nothing made per request (the same bytes on every server):
    # no token and no fill-time stamp; the confirmation page gives both.
    assert 'name="started" value=""' in page
    with time_machine.travel(time.time() + 30):
        typed = {"text": EMOJI_TASHKEEL, "name": "قارئ", "email": "q@example.com", "parent": ""}
        response = client.post(
            f"/comments/post/{article.pk}/", typed | {"started": "", "csrfmiddlewaretoken": ""}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "لم يكتمل إرسال تعليقك بعد" in html
        assert _unescape(_textarea(html)) == EMOJI_TASHKEEL
        assert 'value="قارئ"' in html and 'value="q@example.com"' in html
        assert "csrftoken" in response.cookies
        # The fill time starts with the confirmation page (a bot cannot skip it).
        assert f'data-ready-in="{settings.COMMENTS_MIN_FILL_SECONDS}"' in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        stamp = re.search(r'name="started" value="([^"]+)"', html).group(1)
    with time_machine.travel(time.time() + 40):
        # One more click, once the reader has looked the text over, sends it.
        sent = client.post(
            f"/comments/post/{article.pk}/",
            typed | {"started": stamp, "csrfmiddlewaretoken": token},
        )
    assert sent.status_code == 302
    assert Comment.objects.get().text == "رأيٌ 👍🏽 في الخَبَر\nسطر ثانٍ 🇮🇶"


def test_csrf_failure_elsewhere_is_an_arabic_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "تعذّر إكمال الطلب" in response.content.decode()
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_comment_post_view_keeps_csrf_protection(article):
    from jarida.comments import views

    assert not getattr(views.post_comment, "csrf_exempt", False)


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.JARIDA_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.JARIDA_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"
    settings.JARIDA_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"
