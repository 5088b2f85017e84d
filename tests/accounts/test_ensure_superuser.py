"""`ensure_superuser` never creates a known password: a generated one printed once, or the
environment's."""

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(monkeypatch, **env) -> str:
    for name in ["JARIDA_ADMIN_USERNAME", "JARIDA_ADMIN_PASSWORD", "JARIDA_ADMIN_EMAIL"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("ensure_superuser", stdout=out)
    return out.getvalue()


def test_no_admin_admin_a_strong_password_is_generated_and_printed_once(monkeypatch, rf):
    output = run(monkeypatch)
    password = re.search(r"^\s{4}(\S+)$", output, re.MULTILINE).group(1)
    assert len(password) >= 24
    assert authenticate(rf.post("/"), username="admin", password="admin") is None
    assert authenticate(rf.post("/"), username="admin", password=password) is not None
    # A second run (every `make run`) neither changes it nor prints it again.
    again = run(monkeypatch)
    assert password not in again and "already exists" in again
    assert get_user_model().objects.get().check_password(password)


def test_two_sites_get_different_passwords(monkeypatch):
    first = re.search(r"^\s{4}(\S+)$", run(monkeypatch), re.MULTILINE).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"^\s{4}(\S+)$", run(monkeypatch), re.MULTILINE).group(1)
    assert first != second


def test_the_password_may_come_from_the_environment(monkeypatch, rf):
    output = run(
        monkeypatch, JARIDA_ADMIN_USERNAME="rana", JARIDA_ADMIN_PASSWORD="بحر-هادئ-عند-الفجر-42"
    )
    assert "بحر-هادئ" not in output
    user = authenticate(rf.post("/"), username="rana", password="بحر-هادئ-عند-الفجر-42")
    assert user is not None and user.is_superuser


@pytest.mark.parametrize("weak", ["admin", "12345678", "password"])
def test_a_weak_password_from_the_environment_is_refused(monkeypatch, weak):
    with pytest.raises(CommandError, match="too weak"):
        run(monkeypatch, JARIDA_ADMIN_PASSWORD=weak)
    assert not get_user_model().objects.exists()
