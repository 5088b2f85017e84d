"""Two-factor authentication for the back office: required for editors and site managers
under JARIDA_HTTPS, offered to everyone, asked after the password, and locked like passwords."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jarida.accounts import twofactor
from jarida.accounts.roles import ADMINISTRATOR, ensure_roles

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-03-01T12:00:00+03:00")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def required(settings):
    settings.JARIDA_2FA_REQUIRED = True


@pytest.fixture
def staff(django_user_model):
    ensure_roles()

    def make(username, role=None, **extra):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True, **extra
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def log_in(client, user, **extra):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}, **extra
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_for(device: TOTPDevice, at: datetime) -> str:
    with time_machine.travel(at, tick=False):
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    twofactor.new_backup_codes(user)
    return device


def test_editor_without_device_is_sent_to_enrolment_and_cannot_reach_the_admin(
    client, staff, required
):
    editor = staff("layla", "محرر")
    with time_machine.travel(NOW, tick=False):
        log_in(client, editor)
        for path in ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/"]:
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/2fa/enrol/?next=")
        page = client.get("/admin/2fa/enrol/?next=/admin/")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'lang="ar"' in html and "التحقق بخطوتين" in html
        assert 'src="data:image/svg+xml' in html
        device = TOTPDevice.objects.get(user=editor, confirmed=False)
        assert twofactor.manual_key(device) in html
        # A wrong code enrols nothing and the back office stays closed.
        wrong = client.post("/admin/2fa/enrol/", {"code": "000000", "next": "/admin/"})
        assert "الرمز غير صحيح" in wrong.content.decode()
        assert client.get("/admin/").status_code == 302
    # django-otp slows repeated failures down: the next try comes a little later.
    later = NOW + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        done = client.post(
            "/admin/2fa/enrol/", {"code": code_for(device, later), "next": "/admin/"}
        )
        assert done.status_code == 200
        codes = StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
        assert len(codes) == twofactor.BACKUP_CODE_COUNT
        assert all(code in done.content.decode() for code in codes)
        assert client.get("/admin/").status_code == 200


def test_site_manager_and_superuser_are_required_too(client, staff, django_user_model, required):
    manager = staff("salma", ADMINISTRATOR)
    root = django_user_model.objects.create_superuser("root", "r@example.org", PASSWORD)
    for user in (manager, root):
        client.logout()
        log_in(client, user)
        assert client.get("/admin/")["Location"].startswith("/admin/2fa/enrol/")
        assert client.get("/metrics")["Location"].startswith("/admin/2fa/enrol/")


def test_a_reporter_is_not_forced_but_may_enrol(client, staff, required):
    reporter = staff("hadi", "مراسل")
    log_in(client, reporter)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/2fa/enrol/").status_code == 200


def test_on_the_embedded_default_two_factor_is_offered_not_required(client, staff, settings):
    settings.JARIDA_2FA_REQUIRED = False
    editor = staff("layla", "محرر")
    log_in(client, editor)
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/2fa/enrol/")
    assert "يمكنك حماية حسابك" in page.content.decode()


def test_login_asks_for_the_code_after_the_password_and_refuses_a_wrong_one(client, staff):
    # Not required here: whoever enrolled is asked anyway.
    editor = staff("layla", "محرر")
    device = enrolled(editor)
    with time_machine.travel(NOW, tick=False):
        log_in(client, editor)
        assert client.get("/admin/articles/article/")["Location"] == (
            "/admin/2fa/verify/?next=%2Fadmin%2Farticles%2Farticle%2F"
        )
        good = code_for(device, NOW)
        wrong = f"{(int(good) + 1) % 1_000_000:06d}"
        refused = client.post("/admin/2fa/verify/", {"code": wrong, "next": "/admin/"})
        assert refused.status_code == 200
        assert "الرمز غير صحيح" in refused.content.decode()
        assert client.get("/admin/").status_code == 302
    # django-otp slows repeated failures down: the next try comes a little later.
    later = NOW + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        good = code_for(device, later)
        before = client.session.session_key
        accepted = client.post("/admin/2fa/verify/", {"code": good, "next": "/admin/"})
        assert client.session.session_key != before  # a new session id after the code
        assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, staff):
    editor = staff("layla", "محرر")
    enrolled(editor)
    code = StaticToken.objects.filter(device__user=editor).first().token
    log_in(client, editor)
    assert client.post("/admin/2fa/verify/", {"code": code.upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    log_in(client, editor)
    assert client.post("/admin/2fa/verify/", {"code": code}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_stolen_password_cannot_replace_the_device(client, staff):
    editor = staff("layla", "محرر")
    enrolled(editor)
    log_in(client, editor)
    response = client.get("/admin/2fa/enrol/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/verify/")
    assert client.post("/admin/2fa/backup-codes/").status_code == 302
    assert not TOTPDevice.objects.filter(user=editor, confirmed=False).exists()


def test_code_guessing_is_locked_out_like_password_guessing(client, staff):
    editor = staff("layla", "محرر")
    device = enrolled(editor)
    with time_machine.travel(NOW, tick=False):
        statuses = []
        for _ in range(5):
            if "_auth_user_id" not in client.session:
                log_in(client, editor)  # the password is right: only the code is guessed
            statuses.append(client.post("/admin/2fa/verify/", {"code": "123456"}).status_code)
        assert statuses == [200, 200, 200, 200, 429]
        assert "_auth_user_id" not in client.session
        # This address is locked out, password included.
        assert (
            client.post(
                "/admin/login/", {"username": editor.username, "password": PASSWORD}
            ).status_code
            == 429
        )
        # From elsewhere the right password is let in, but it does not wipe the code failures
        # of the account, and the right code is not even checked while the lock holds.
        elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
        log_in(client, editor, **elsewhere)
        with mock.patch.object(TOTPDevice, "verify_token", return_value=True) as checked:
            locked = client.post("/admin/2fa/verify/", {"code": code_for(device, NOW)}, **elsewhere)
        assert locked.status_code == 429 and checked.call_count == 0
        assert client.get("/admin/", **elsewhere).status_code == 302


def test_unauthenticated_visitors_get_the_login_page_not_the_code_page(client):
    response = client.get("/admin/2fa/verify/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
