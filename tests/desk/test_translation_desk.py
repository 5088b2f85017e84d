import pytest

from jarida.accounts.roles import ensure_roles
from jarida.articles.models import Article, Byline
from jarida.desk import services
from jarida.desk.models import WireItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(django_user_model):
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user(
        "hamed", password="pw", is_staff=True, first_name="حامد", last_name="أحمد"
    )
    user.groups.add(Group.objects.get(name="مترجم"))
    return user


def test_start_translation_makes_a_linked_draft(wire_item, translator):
    draft = services.start_translation(wire_item, translator)
    assert draft.status == Article.Status.DRAFT
    assert draft.source_agency.name == "اسوشيتدبرس"
    assert draft.source_url == "https://example.com/ap/iraq-russia"
    assert [(b.role, b.contributor.name) for b in draft.bylines.all()] == [
        (Byline.Role.TRANSLATOR, "حامد أحمد")
    ]
    assert draft.bylines.get().contributor.user == translator
    assert draft.created_by == translator
    wire_item.refresh_from_db()
    assert wire_item.article == draft and wire_item.taken_by == translator
    assert wire_item.state == "يترجمه hamed"
    # Taking it again opens the same draft; nothing is duplicated.
    assert services.start_translation(wire_item, translator) == draft
    assert Article.objects.count() == 1


def test_an_item_taken_by_one_translator_is_refused_to_another(
    wire_item, translator, django_user_model
):
    services.start_translation(wire_item, translator)
    other = django_user_model.objects.create_user("rana", is_staff=True)
    with pytest.raises(services.AlreadyTaken, match="hamed"):
        services.start_translation(wire_item, other)


def test_queue_shows_waiting_taken_and_published(wire_item, translator, client):
    client.force_login(translator)
    html = client.get("/admin/desk/wireitem/").content.decode()
    assert "ينتظر مترجمًا" in html and "ابدأ الترجمة" in html
    confirm = client.get(f"/admin/desk/wireitem/{wire_item.pk}/start/")
    assert "Iraq and Russia discussed" in confirm.content.decode()
    response = client.post(f"/admin/desk/wireitem/{wire_item.pk}/start/")
    draft = WireItem.objects.get().article
    assert response["Location"] == f"/admin/articles/article/{draft.pk}/change/"
    form = client.get(response["Location"]).content.decode()
    assert "translation-desk" in form and "The meeting took place in Baghdad." in form
    html = client.get("/admin/desk/wireitem/").content.decode()
    assert "يترجمه hamed" in html
    draft.status, draft.published_at = Article.Status.PUBLISHED, draft.created_at
    draft.save()
    assert "نُشرت الترجمة" in client.get("/admin/desk/wireitem/").content.decode()


def test_only_the_desk_roles_may_take_items(wire_item, django_user_model, client):
    from django.contrib.auth.models import Group

    ensure_roles()
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="مشرف التعليقات"))
    client.force_login(moderator)
    assert client.get("/admin/desk/wireitem/").status_code == 403
    client.post(f"/admin/desk/wireitem/{wire_item.pk}/start/")
    assert not Article.objects.exists()
