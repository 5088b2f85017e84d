"""Deployment settings come from environment variables with embedded defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jarida.config import cache_config, database_config, https_settings
from jarida.datadir import prepare
from jarida.paths import BASE_DIR


def _settings_in_subprocess(env: dict, expression: str) -> str:
    """Import jarida.settings fresh, with exactly `env`, and print an expression."""
    clean_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")} | env
    code = f"import jarida.settings as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean_env, cwd="/", capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sqlite_in_wal_mode_in_the_data_dir_by_default(tmp_path):
    config = database_config(None, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "jarida.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    # Persistent, as on PostgreSQL: no connect and WAL checkpoint on every request.
    assert config["CONN_MAX_AGE"] > 0


def test_database_url_selects_postgresql(tmp_path):
    config = database_config("postgres://jarida:pw@db.internal:5433/news", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "news")


def test_cache_is_shared_files_by_default_and_redis_when_asked(tmp_path):
    files = cache_config(None, tmp_path)
    assert set(files) == {"default", "pages", "ratelimit", "page-versions", "readership"}
    assert all(c["BACKEND"] == "jarida.core.cache.ExpiringFileCache" for c in files.values())
    # Each kind of entry in a folder of its own, with its own limit.
    assert len({c["LOCATION"] for c in files.values()}) == 5
    assert files["pages"]["OPTIONS"]["MAX_ENTRIES"] >= 1000
    redis = cache_config("redis://127.0.0.1:6379/3", tmp_path)
    assert all(c["BACKEND"] == "django_redis.cache.RedisCache" for c in redis.values())
    assert len({c["KEY_PREFIX"] for c in redis.values()}) == 5
    assert redis["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    apart = cache_config("redis://127.0.0.1:6379/3", tmp_path, "redis://pages.internal:6379/0")
    assert apart["pages"]["LOCATION"] == "redis://pages.internal:6379/0"
    assert apart["ratelimit"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    # Surrogate-key versions stay off the pages' Redis (it may evict at will).
    assert apart["page-versions"]["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_https_settings_only_when_enabled():
    assert https_settings(False) == {}
    on = https_settings(True)
    assert on["SECURE_SSL_REDIRECT"] and on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert on["SECURE_HSTS_PRELOAD"] and on["SECURE_HSTS_INCLUDE_SUBDOMAINS"]


def test_data_dir_defaults_to_var_beside_manage_py_whatever_the_cwd(tmp_path):
    (tmp_path / "secret_key").write_text("from-file")
    out = _settings_in_subprocess(
        {"JARIDA_DATA_DIR": str(tmp_path)}, "s.DATA_DIR, s.SECRET_KEY, s.DEBUG, s.TIME_ZONE"
    )
    assert out == f"{tmp_path} from-file False Asia/Baghdad"
    default = _settings_in_subprocess({"SECRET_KEY": "x"}, "s.DATA_DIR")
    assert Path(default) == BASE_DIR / "var"


def test_environment_overrides(tmp_path):
    env = {
        "JARIDA_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "from-env",
        "JARIDA_DEBUG": "1",
        "JARIDA_TIME_ZONE": "Asia/Amman",
        "ALLOWED_HOSTS": "news.example, www.news.example",
        "JARIDA_HTTPS": "true",
        "JARIDA_SEARCH_BACKEND": "jarida.search.backends.postgres",
    }
    out = _settings_in_subprocess(
        env,
        "s.SECRET_KEY, s.DEBUG, s.TIME_ZONE, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, "
        "s.JARIDA_SEARCH_BACKEND",
    )
    assert out == (
        "from-env True Asia/Amman ['news.example', 'www.news.example'] True "
        "jarida.search.backends.postgres"
    )


def test_missing_secret_key_is_a_clear_error_and_settings_write_nothing(tmp_path):
    code = "import jarida.settings"
    env = {"PATH": os.environ["PATH"], "JARIDA_DATA_DIR": str(tmp_path / "absent")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "make setup" in result.stderr
    assert not (tmp_path / "absent").exists()


def test_setup_generates_the_secret_key_once(tmp_path, monkeypatch):
    monkeypatch.setenv("JARIDA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    prepare()
    key_file = tmp_path / "data" / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    prepare()
    assert key_file.read_text() == first


@pytest.mark.parametrize("candidate", ["python3.12-shim-that-fails"])
def test_find_python_skips_failing_shims(tmp_path, candidate):
    shim = tmp_path / "python3.12"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.12: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run(
        [BASE_DIR / "scripts" / "find-python"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert found != str(shim)
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "True"


def test_find_python_fails_clearly_when_none(tmp_path):
    env = {"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["/bin/sh", BASE_DIR / "scripts" / "find-python"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr


def test_a_missing_data_directory_is_named_with_the_command_that_makes_it(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "x",
        "JARIDA_DATA_DIR": str(tmp_path / "new"),
    }
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"The data directory {tmp_path / 'new'} does not exist" in result.stderr
    assert "make setup" in result.stderr and "Traceback" not in result.stderr
