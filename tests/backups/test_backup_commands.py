"""`backup` and `restore` as an operator runs them, and what they do with bad archives."""

import io
import json
import os
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from restore_drill import ON_DISK, media_files, read_tables

from jarida.articles.models import Article
from jarida.backups.archive import MANIFEST, ArchiveError, read_manifest
from jarida.backups.services import RestoreRefused, create_backup, restore_backup, verify_backup


@pytest.fixture
def small_site(live_site, make_article):
    for n in range(3):
        make_article(title=f"خبر صغير {n}")
    (live_site.media_root / "images").mkdir()
    (live_site.media_root / "images" / "one.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (live_site.media_root / "ملف عربي.txt").write_text("نص", encoding="utf-8")
    return live_site


@pytest.fixture
def archive(small_site, tmp_path):
    return create_backup(small_site, tmp_path / "backups").path


def rewrite(archive, target, change):
    """Copy `archive` to `target`, passing each member (info, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for info in source:
            data = source.extractfile(info).read()
            for info2, data2 in change(info, data):
                info2.size = len(data2)
                out.addfile(info2, io.BytesIO(data2))
    return target


@ON_DISK
def test_backup_command_writes_an_owner_only_archive_and_prunes(small_site, tmp_path, settings):
    out = tmp_path / "nightly"
    settings.DATABASES["default"]["NAME"] = small_site.database["NAME"]
    call_command("backup", output_dir=out, verbosity=0)
    [archive] = out.glob("jarida-*.tar")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = read_manifest(archive)
    assert manifest["tables"]["articles_article"] == 3
    assert manifest["media"]["files"] == 2
    assert manifest["secret_key"] == "included"
    assert "media/ملف عربي.txt" in manifest["files"]
    assert not list(out.glob("*.partial")) and not list(out.glob(".backup-*"))


@ON_DISK
def test_verify_reads_every_member(archive, capsys):
    call_command("restore", str(archive), verify_only=True)
    assert "OK" in capsys.readouterr().out
    assert verify_backup(archive)["database"]["vendor"] in ("sqlite", "postgresql")


@ON_DISK
def test_a_damaged_media_file_is_refused_and_the_target_stays_empty(archive, empty_site, tmp_path):
    def flip(info, data):
        if info.name == "media/images/one.jpg":
            data = data[:-1] + bytes([data[-1] ^ 1])
        yield info, data

    damaged = rewrite(archive, tmp_path / "damaged.tar", flip)
    with pytest.raises(ArchiveError, match=r"media/images/one\.jpg: checksum mismatch"):
        restore_backup(damaged, empty_site)
    with pytest.raises(ArchiveError, match="checksum mismatch"):
        verify_backup(damaged)
    assert not (empty_site.media_root).exists()
    assert not list(empty_site.data_dir.glob(".restore-*"))
    assert not read_tables(empty_site)


@ON_DISK
def test_a_path_outside_the_media_folder_is_refused(archive, empty_site, tmp_path):
    def escape(info, data):
        if info.name == MANIFEST:
            manifest = json.loads(data)
            manifest["files"]["media/../../evil.txt"] = {"size": 4, "sha256": "0" * 64}
            evil = tarfile.TarInfo("media/../../evil.txt")
            yield evil, b"evil"
            data = json.dumps(manifest).encode()
        yield info, data

    hostile = rewrite(archive, tmp_path / "hostile.tar", escape)
    with pytest.raises(ArchiveError, match="unsafe path"):
        restore_backup(hostile, empty_site)
    assert not (tmp_path / "evil.txt").exists()


@ON_DISK
def test_a_truncated_or_foreign_file_gets_a_clear_error(archive, empty_site, tmp_path):
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(ArchiveError, match=r"no manifest\.json|not a readable backup"):
        restore_backup(truncated, empty_site)
    foreign = tmp_path / "photo.tar"
    foreign.write_bytes(b"\x89PNG not a tar at all")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(foreign))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar"))


@ON_DISK
def test_a_backup_from_a_newer_version_is_refused(archive, empty_site, tmp_path):
    def newer(info, data):
        if info.name == MANIFEST:
            manifest = json.loads(data)
            manifest["migrations"].append(["articles", "9999_from_the_future"])
            data = json.dumps(manifest).encode()
        yield info, data

    future = rewrite(archive, tmp_path / "future.tar", newer)
    with pytest.raises(RestoreRefused, match=r"newer Jarida .*articles.9999_from_the_future"):
        restore_backup(future, empty_site)


@ON_DISK
def test_a_site_holding_data_is_refused_then_replaced_with_force(
    archive, small_site, empty_site, make_article
):
    restore_backup(archive, empty_site)
    with pytest.raises(RestoreRefused, match="--force"):
        restore_backup(archive, empty_site)
    extra = empty_site.media_root / "added-after.txt"
    extra.write_text("kept aside")
    forced = restore_backup(archive, empty_site, force=True)
    assert media_files(empty_site.media_root) == media_files(small_site.media_root)
    if empty_site.vendor == "sqlite":
        aside = list(empty_site.data_dir.glob("media.before-restore-*"))
        assert [p.name for p in aside[0].iterdir()].count("added-after.txt") == 1
        assert list(empty_site.data_dir.glob("jarida.sqlite3.before-restore-*"))
    assert forced.notes


@ON_DISK
def test_a_backup_into_another_database_kind_is_refused(archive, empty_site):
    other = "django.db.backends.postgresql" if empty_site.vendor == "sqlite" else (
        "django.db.backends.sqlite3")  # fmt: skip
    site = type(empty_site)(
        dict(empty_site.database, ENGINE=other), empty_site.media_root, empty_site.data_dir
    )
    with pytest.raises(RestoreRefused, match="configured for"):
        restore_backup(archive, site)


@ON_DISK
def test_pg_tools_missing_from_path_is_a_clear_error(live_site, tmp_path, monkeypatch):
    if live_site.vendor != "postgresql":
        pytest.skip("pg_dump is used on PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Exception, match="pg_dump is not on PATH"):
        create_backup(live_site, tmp_path / "backups")
    assert not list((tmp_path / "backups").glob("jarida-*"))


@ON_DISK
def test_restored_database_answers_through_django(archive, empty_site):
    from restore_drill import default_database

    restore_backup(archive, empty_site)
    with default_database(empty_site.database["NAME"]):
        assert Article.objects.count() == 3
    assert os.stat(empty_site.data_dir / "secret_key").st_mode & 0o077 == 0
