"""Back-office logins last as long as their role allows; readers get no session at all."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group

from jarida.accounts.logins import login_lifetime
from jarida.accounts.roles import ADMINISTRATOR, ensure_roles

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-03-01T09:00:00+03:00")


@pytest.fixture
def person(django_user_model):
    ensure_roles()

    def make(username, role=None):
        user = django_user_model.objects.create_user(username, password="pw-long-1", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def lifetimes(settings):
    settings.JARIDA_2FA_REQUIRED = False
    settings.JARIDA_SESSION_HOURS = {ADMINISTRATOR: 2, "محرر": 6}
    settings.JARIDA_SESSION_HOURS_STAFF = 10


def test_each_role_gets_its_lifetime_and_the_shortest_wins(person, lifetimes, django_user_model):
    editor, reporter, manager = person("e", "محرر"), person("r", "مراسل"), person("m", "محرر")
    manager.groups.add(Group.objects.get(name=ADMINISTRATOR))
    root = django_user_model.objects.create_superuser("root", "", "pw-long-1")
    assert login_lifetime(editor) == timedelta(hours=6)
    assert login_lifetime(reporter) == timedelta(hours=10)
    assert login_lifetime(manager) == timedelta(hours=2)
    assert login_lifetime(root) == timedelta(hours=2)


@pytest.mark.parametrize(
    ("role", "hours"), [("محرر", 6), (ADMINISTRATOR, 2), ("مراسل", 10), ("مترجم", 10)]
)
def test_a_login_ends_when_its_role_lifetime_is_over(client, person, lifetimes, role, hours):
    user = person("someone", role)
    with time_machine.travel(NOW, tick=False):
        response = client.post("/admin/login/", {"username": "someone", "password": "pw-long-1"})
        assert response.status_code == 302
        # The cookie and the stored session expire with the login, not two weeks later.
        assert response.cookies["sessionid"]["max-age"] == hours * 3600
    with time_machine.travel(NOW + timedelta(hours=hours, minutes=-1), tick=False):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(NOW + timedelta(hours=hours, minutes=1), tick=False):
        response = client.get("/admin/articles/article/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
        assert "_auth_user_id" not in client.session
    assert user.is_authenticated  # the account itself is untouched


@pytest.mark.parametrize("save_every_request", [False, True])
def test_activity_does_not_stretch_a_login(client, person, lifetimes, settings, save_every_request):
    # Saving the session on every request pushes its expiry on: the login still ends.
    settings.SESSION_SAVE_EVERY_REQUEST = save_every_request
    person("e", "محرر")
    with time_machine.travel(NOW, tick=False):
        client.post("/admin/login/", {"username": "e", "password": "pw-long-1"})
    for hour in range(1, 6):
        with time_machine.travel(NOW + timedelta(hours=hour), tick=False):
            assert client.get("/admin/").status_code == 200
    with time_machine.travel(NOW + timedelta(hours=6, seconds=1), tick=False):
        assert client.get("/admin/").status_code == 302


def test_readers_get_no_session(client, make_article):
    article = make_article()
    for path in ["/", article.get_absolute_url(), "/search/?q=الكهرباء", "/feed/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "sessionid" not in response.cookies, path
    assert "sessionid" not in client.cookies
