"""Backups copied to S3-compatible storage, on a real S3 protocol server (moto's)."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from restore_drill import ON_DISK

from jarida.backups import offsite, retention
from jarida.backups.archive import sha256_file
from jarida.backups.services import verify_backup

BUCKET = "jarida-backups"


@pytest.fixture
def s3(s3_server):
    """An S3 server on 127.0.0.1 with an empty bucket; the endpoint's URL."""
    import boto3

    boto3.client("s3", endpoint_url=s3_server).create_bucket(Bucket=BUCKET)
    return s3_server


@ON_DISK
def test_backup_is_copied_off_site_and_restores_from_there(
    live_site, make_article, s3, settings, tmp_path
):
    make_article(title="خبر في النسخة البعيدة")
    settings.DATABASES["default"]["NAME"] = live_site.database["NAME"]
    settings.JARIDA_BACKUP_S3_URL = f"s3://{BUCKET}/paper/"
    settings.JARIDA_BACKUP_S3_ENDPOINT = s3
    call_command("backup", output_dir=tmp_path / "local", verbosity=0)
    [local] = (tmp_path / "local").glob("jarida-*.tar")

    (tmp_path / "fetched").mkdir()
    fetched = offsite.download(f"s3://{BUCKET}/paper/{local.name}", tmp_path / "fetched", s3)
    assert sha256_file(fetched) == sha256_file(local)
    assert verify_backup(fetched)["tables"]["articles_article"] == 1


def test_remote_copies_follow_the_retention_policy(s3, tmp_path):
    bucket = offsite.Bucket.from_url(f"s3://{BUCKET}/paper", s3)
    days = [datetime(2026, 5, day, 3, 0, tzinfo=UTC) for day in (1, 2, 3)]
    for at in days:
        archive = tmp_path / retention.archive_name(at)
        archive.write_bytes(b"archive of " + at.isoformat().encode())
        offsite.upload(archive, bucket)
    gone = offsite.prune(bucket, retention.Policy(daily=2, weekly=0, monthly=0))
    assert gone == [f"paper/{retention.archive_name(days[0])}"]


@ON_DISK
def test_a_failed_copy_is_an_error_and_keeps_the_local_archive(live_site, settings, tmp_path):
    settings.DATABASES["default"]["NAME"] = live_site.database["NAME"]
    settings.JARIDA_BACKUP_S3_URL = "s3://no-such-bucket/x/"
    settings.JARIDA_BACKUP_S3_ENDPOINT = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(CommandError, match="not copied off-site"):
        call_command("backup", output_dir=tmp_path / "local", verbosity=0)
    assert list((tmp_path / "local").glob("jarida-*.tar"))


def test_an_address_that_is_not_s3_is_refused():
    with pytest.raises(offsite.OffsiteError, match="s3://bucket/prefix/"):
        offsite.Bucket.from_url("https://example.com/backups/")
