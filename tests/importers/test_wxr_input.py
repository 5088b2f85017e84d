"""WXR files as they come: every namespace, Arabic links, bad XML, bombs, broken encodings."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage

from jarida.articles.models import Article
from jarida.comments.models import Comment
from jarida.importers.models import ImportedAttachment, ImportRun
from jarida.importers.wxr import WxrOptions, body_html, import_wxr
from tests.importers.conftest import wxr_document, wxr_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "http://wordpress.org/export/1.2/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_every_wxr_version_and_namespace_is_read(write_file, namespace):
    path = write_file("old.xml", wxr_document(wxr_post(7, title="خبر قديم"), wp=namespace))
    report = import_wxr(path)
    assert report.created == 1
    article = Article.objects.get(external_id="wxr:old.example:7")
    assert (article.title, article.bylines.get().contributor.name) == ("خبر قديم", "تميم الحسن")


def test_arabic_post_keeps_its_percent_encoded_old_link(write_file, client):
    link = "https://old.example/2015/08/03/%d9%85%d8%b7%d8%b1-%d8%ba%d8%b2%d9%8a%d8%b1/"
    post = wxr_post(12, title="مطر غزير على بغداد", link=link, post_name="%d9%85%d8%b7%d8%b1")
    import_wxr(write_file("ar.xml", wxr_document(post)))
    article = Article.objects.get()
    assert article.slug == "مطر"
    response = client.get("/2015/08/03/مطر-غزير/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_every_status_is_mapped_or_reported(write_file):
    items = "".join(
        wxr_post(n, title=f"خبر {status}", status=status)
        for n, status in enumerate(
            ["publish", "future", "draft", "pending", "private", "trash", "auto-draft"], 1
        )
    )
    report = import_wxr(write_file("statuses.xml", wxr_document(items)))
    assert dict(Article.objects.values_list("title", "status")) == {
        "خبر publish": "published",
        "خبر future": "published",
        "خبر draft": "draft",
        "خبر pending": "review",
        "خبر private": "unpublished",
    }
    assert report.tally["skipped: status trash"] == report.tally["skipped: status auto-draft"] == 1
    assert {w["item"] for w in report.warnings} == {"post 6", "post 7"}


def test_categories_flatten_to_sections_and_extra_ones_become_tags(write_file):
    categories = (
        '<category domain="category" nicename="%d8%b3%d9%8a%d8%a7%d8%b3%d8%a9">'
        "<![CDATA[سياسة]]></category>"
        '<category domain="category" nicename="iraq"><![CDATA[العراق]]></category>'
        '<category domain="post_tag" nicename="water"><![CDATA[المياه &amp; الري]]></category>'
    )
    import_wxr(write_file("c.xml", wxr_document(wxr_post(3, categories=categories))))
    article = Article.objects.get()
    assert (article.section.slug, article.section.name) == ("سياسة", "سياسة")
    assert sorted(article.tags.values_list("name", flat=True)) == ["العراق", "المياه & الري"]


def test_billion_laughs_is_refused_before_any_expansion(write_file):
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
        + b"".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1 or ''};" * 10}">\n'.encode() for i in range(1, 10)
        )
        + b"]>\n"
    )
    path = write_file("bomb.xml", wxr_document(wxr_post(1, title="&lol9;"), head=bomb))
    report = import_wxr(path)
    assert report.failed == 1 and "DTD" in report.failures[0]["reason"]
    assert Article.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_external_entities_are_never_read(write_file):
    xxe = b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    report = import_wxr(
        write_file("xxe.xml", wxr_document(wxr_post(1, title="&secret;"), head=xxe))
    )
    assert report.failed == 1 and "refused" in report.failures[0]["reason"]
    assert not Article.objects.filter(title__contains="root").exists()


def test_malformed_xml_names_line_and_column_and_keeps_what_came_before(write_file):
    document = wxr_document(wxr_post(1) + "\n<item><title>broken</titl></item>" + wxr_post(2))
    report = import_wxr(write_file("bad.xml", document))
    assert report.created == 1
    (failure,) = report.failures
    assert "malformed XML at line" in failure["reason"] and ", column " in failure["reason"]
    line = next(n for n, text in enumerate(document.decode().splitlines(), 1) if "broken" in text)
    assert f"line {line}," in failure["reason"]


def test_a_line_in_windows_1256_is_repaired_and_reported(write_file):
    document = wxr_document(wxr_post(1, title="TITLE"))
    title_line = next(n for n, line in enumerate(document.splitlines(), 1) if b"TITLE" in line)
    document = document.replace(b"TITLE", "أخبار العراق".encode("windows-1256"))
    report = import_wxr(write_file("mixed.xml", document))
    assert Article.objects.get().title == "أخبار العراق"
    assert {"item": f"line {title_line}", "reason": "not UTF-8: read as windows-1256"} in (
        report.warnings
    )


@time_machine.travel(datetime(2026, 3, 1, 9, 30, tzinfo=UTC), tick=False)
def test_missing_fields_are_filled_in_as_wordpress_does_or_reported(write_file):
    items = (
        wxr_post(1, title="")
        + wxr_post(2, post_date_gmt="0000-00-00 00:00:00", post_date="None")
        + wxr_post(3, status="None")
        + wxr_post("x", title="بلا رقم")
    )
    report = import_wxr(write_file("missing.xml", wxr_document(items)))
    assert Article.objects.get(external_id="wxr:old.example:1").title == "(بلا عنوان)"
    assert {"item": "post 1", "reason": "no title: imported as (بلا عنوان)"} in report.warnings
    # No date at all: WordPress's wp_insert_post() dates the post at the import time.
    undated = Article.objects.get(external_id="wxr:old.example:2")
    assert undated.published_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert any(w["item"] == "post 2" and "import time" in w["reason"] for w in report.warnings)
    # No status: WordPress saves it as a draft.
    assert Article.objects.get(external_id="wxr:old.example:3").status == Article.Status.DRAFT
    # A post id WordPress's (int) cast makes 0: imported, recognised by title and date.
    assert report.failures == []
    assert Article.objects.filter(title="بلا رقم", external_id__contains=":title-date-").exists()


def test_comments_keep_state_and_attach_replies_to_their_thread(write_file):
    def comment(cid, parent, approved, text, kind=""):
        return (
            f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
            f"<wp:comment_author><![CDATA[قارئ {cid}]]></wp:comment_author>"
            f"<wp:comment_author_email>R{cid}@Example.com</wp:comment_author_email>"
            f"<wp:comment_author_IP>not-an-ip</wp:comment_author_IP>"
            f"<wp:comment_date_gmt>2015-08-04 10:00:0{cid}</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved>"
            f"<wp:comment_type>{kind}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )

    comments = (
        comment(1, 0, "1", "تعليق أول")
        + comment(2, 1, "1", "رد")
        + comment(3, 2, "0", "رد على الرد")
        + comment(4, 0, "spam", "اشترِ الآن")
        + comment(5, 0, "trash", "محذوف")
        + comment(6, 0, "1", "Ping", kind="pingback")
    )
    post = wxr_post(1).replace("</item>", comments + "</item>")
    report = import_wxr(write_file("comments.xml", wxr_document(post)))
    first = Comment.objects.get(text="تعليق أول")
    assert dict(Comment.objects.values_list("text", "status")) == {
        "تعليق أول": "published",
        "رد": "published",
        "رد على الرد": "pending",
        "اشترِ الآن": "spam",
    }
    assert set(first.replies.values_list("text", flat=True)) == {"رد", "رد على الرد"}
    assert (first.email, first.ip_address) == ("r1@example.com", None)
    assert (
        report.tally["comments skipped: trash"] == report.tally["comments skipped: pingback"] == 1
    )


def test_wordpress_markup_becomes_paragraphs_and_figures():
    html = body_html(
        "سطر أول\nسطر ثان\n\nفقرة ثانية\n\n"
        '[caption id="a" width="300"]<img src="https://old.example/a.jpg" alt="أ"> شرح الصورة'
        '[/caption]\n\n[gallery ids="1,2"]\n<!-- wp:paragraph --><p>كتلة</p><!-- /wp:paragraph -->'
    )
    assert "<p>سطر أول<br>\nسطر ثان</p>" in html
    assert "<p>فقرة ثانية</p>" in html
    assert "<figcaption>شرح الصورة" in html and "<figure><img" in html
    assert "gallery" not in html and "wp:paragraph" not in html and "<p>كتلة" in html


def png_bytes() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def featured_post_export(base_url: str) -> bytes:
    post = wxr_post(5).replace(
        "</item>",
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>9</wp:meta_value></wp:postmeta></item>",
    )
    attachment = wxr_post(9, title="صورة", status="inherit", post_type="attachment").replace(
        "</item>", f"<wp:attachment_url>{base_url}/uploads/a.png</wp:attachment_url></item>"
    )
    return wxr_document(post + attachment)


def test_featured_image_is_fetched_only_from_an_allowed_host(write_file, local_server, settings):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True  # the test's server is on 127.0.0.1
    base_url, routes = local_server
    routes["/uploads/a.png"] = (200, {"Content-Type": "image/png"}, png_bytes())
    path = write_file("featured.xml", featured_post_export(base_url))

    report = import_wxr(path)
    assert Article.objects.get().featured_image is None
    assert report.tally["featured images left at their URL (host not allowed)"] == 1
    assert ImportedAttachment.objects.get().url == f"{base_url}/uploads/a.png"

    import_wxr(path, WxrOptions(media_hosts=frozenset({"127.0.0.1"})))
    image = Article.objects.get().featured_image
    assert (image.width, image.height, image.alt_text) == (8, 6, "صورة")


def gps_jpeg() -> bytes:
    """A 1,000-pixel photo whose EXIF says where it was taken, as phones write it."""
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (33.0, 18.0, 42.0), 3: "E", 4: (44.0, 21.0, 58.0)}  # GPS
    buffer = BytesIO()
    PILImage.new("RGB", (1000, 750), "olive").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_imported_pictures_follow_the_upload_rules(
    write_file, local_server, settings, tmp_path, run_tasks
):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    settings.MEDIA_ROOT = tmp_path
    base_url, routes = local_server
    photo = gps_jpeg()
    with PILImage.open(BytesIO(photo)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry GPS
    routes["/uploads/a.png"] = (200, {"Content-Type": "image/jpeg"}, photo)
    path = write_file("featured.xml", featured_post_export(base_url))

    import_wxr(path, WxrOptions(media_hosts=frozenset({"127.0.0.1"})))
    run_tasks()  # the renditions
    image = Article.objects.get().featured_image
    stored = [tmp_path / image.file.name] + [tmp_path / r["name"] for r in image.renditions]
    assert [r["width"] for r in image.renditions] == [480, 800]
    for file in stored:
        with PILImage.open(file) as picture:
            assert not picture.getexif(), file.name  # no camera, no GPS, nothing
            assert not picture.info.get("exif"), file.name


def test_an_imported_file_that_is_not_a_picture_is_refused_with_the_reason(
    write_file, local_server, settings
):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    base_url, routes = local_server
    routes["/uploads/a.png"] = (200, {"Content-Type": "image/png"}, b"<svg onload=alert(1)>")
    path = write_file("featured.xml", featured_post_export(base_url))
    report = import_wxr(path, WxrOptions(media_hosts=frozenset({"127.0.0.1"})))
    assert Article.objects.get().featured_image is None
    assert any("ليس صورة" in str(warning) for warning in report.warnings)


def test_command_prints_the_summary_and_exits_non_zero_on_failures(write_file, capsys):
    good = write_file("good.xml", wxr_document(wxr_post(1)))
    call_command("import_wxr", str(good), verbosity=0)
    assert "created 1, updated 0, skipped 0, failed 0" in capsys.readouterr().out

    bad = write_file("bad.xml", wxr_document(wxr_post(2) + "<item><title>x</item>"))
    with pytest.raises(CommandError) as error:
        call_command("import_wxr", str(bad), verbosity=0)
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "failures (1):" in out and "bad.xml: malformed XML at line" in out


def test_a_post_without_a_post_id_is_imported_and_found_again_by_title_and_date(tmp_path):
    # WordPress casts the missing id to 0 and recognises the post by title and date.
    items = (
        wxr_post(1, title="له رقم")
        + wxr_post(0, title="بلا رقم").replace("<wp:post_id><![CDATA[0]]></wp:post_id>", "")
        + wxr_post(0, title="رقم طويل").replace(
            "[CDATA[0]]></wp:post_id>", f"[CDATA[{'9' * 40}]]></wp:post_id>"
        )
    )
    path = tmp_path / "ids.xml"
    path.write_bytes(wxr_document(items))
    first = import_wxr(path)
    assert (first.created, first.failed) == (3, 0)
    warned = [w for w in first.warnings if "no usable wp:post_id" in w["reason"]]
    assert [w["item"] for w in warned] == ["item 'بلا رقم'", "item 'رقم طويل'"]
    again = import_wxr(path)
    assert (again.created, again.skipped, Article.objects.count()) == (0, 3, 3)
    assert set(Article.objects.values_list("title", flat=True)) == {"له رقم", "بلا رقم", "رقم طويل"}


def test_imported_comments_are_made_as_the_readers_form_makes_them(tmp_path):
    from jarida.comments.forms import CommentForm
    from jarida.comments.services import new_comment

    comment = (
        "<wp:comment><wp:comment_id>7</wp:comment_id>"
        "<wp:comment_author><![CDATA[قارئ\u202e  كريم]]></wp:comment_author>"
        "<wp:comment_author_email>Reader@Example.COM</wp:comment_author_email>"
        "<wp:comment_content><![CDATA[نص\u200b التعليق\r\n\r\n\r\n\r\nسطر]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        "<wp:comment_date_gmt>2015-08-04 10:00:00</wp:comment_date_gmt></wp:comment>"
    )
    path = tmp_path / "c.xml"
    path.write_bytes(wxr_document(wxr_post(1).replace("</item>", comment + "</item>")))
    import_wxr(path)
    stored = Comment.objects.get()
    form = CommentForm(
        {
            "text": "نص\u200b التعليق\r\n\r\n\r\n\r\nسطر",
            "name": "قارئ\u202e  كريم",
            "email": "Reader@Example.COM",
        }
    )
    form.full_clean()
    assert not form.errors.keys() - {"__all__"}  # only the fill-time check (no stamp)
    made = new_comment(
        stored.article, form.submission(ip_address=None, user_agent=""), status=stored.status
    )
    assert (
        (stored.text, stored.name, stored.email, stored.text_key)
        == (made.text, made.name, made.email, made.text_key)
        == ("نص التعليق\n\nسطر", "قارئ كريم", "reader@example.com", made.text_key)
    )
    assert stored.is_published and stored.created_at == datetime(2015, 8, 4, 10, tzinfo=UTC)
