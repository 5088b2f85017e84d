"""Password guessing on the back-office login is refused after five failures."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-03-01T12:00:00+03:00")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("firas", password="correct-horse", is_staff=True)


def attempt(client, username, password, address="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_sixth_attempt_for_one_account_is_refused_without_checking_it(client, editor):
    with time_machine.travel(NOW, tick=False):
        # Five wrong passwords: the form again four times, the fifth locks the account.
        statuses = [attempt(client, "firas", "wrong").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        with mock.patch.object(
            get_user_model(), "check_password", autospec=True, return_value=True
        ) as checked:
            refused = attempt(client, "firas", "correct-horse", address="203.0.113.9")
        assert refused.status_code == 429
        assert checked.call_count == 0
        assert "أُوقف الدخول مؤقتًا" in refused.content.decode()
        assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_accounts_is_stopped(client, django_user_model):
    for name in ["a1", "a2", "a3", "a4", "a5", "a6"]:
        django_user_model.objects.create_user(name, password="pw-" + name, is_staff=True)
    with time_machine.travel(NOW, tick=False):
        statuses = [
            attempt(client, name, "guess", address="192.0.2.50").status_code
            for name in ["a1", "a2", "a3", "a4", "a5"]
        ]
        assert statuses == [200, 200, 200, 200, 429]
        assert attempt(client, "a6", "pw-a6", address="192.0.2.50").status_code == 429
        # Someone else, elsewhere, still logs in to their own account.
        assert attempt(client, "a6", "pw-a6", address="192.0.2.51").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, editor):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            attempt(client, "firas", "wrong")
        assert attempt(client, "firas", "correct-horse").status_code == 429
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        response = attempt(client, "firas", "correct-horse")
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_success_resets_the_count(client, editor):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            attempt(client, "firas", "wrong")
        assert attempt(client, "firas", "correct-horse").status_code == 302
        client.logout()
        for _ in range(4):
            attempt(client, "firas", "wrong")
        assert attempt(client, "firas", "correct-horse").status_code == 302


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_an_unsafe_or_missing_next_lands_in_the_back_office(client, editor, next_url):
    response = client.post(
        "/admin/login/?next=" + next_url, {"username": "firas", "password": "correct-horse"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
