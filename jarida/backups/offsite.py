"""Copies of the backups in S3-compatible storage (AWS S3, MinIO, Backblaze B2, Wasabi…).

Off only until JARIDA_BACKUP_S3_URL (`s3://bucket/prefix/`) is set; JARIDA_BACKUP_S3_ENDPOINT
names a server other than AWS. Credentials come the way boto3 always takes them
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role). The same
retention rule as on disk prunes the remote copies. boto3 is an optional extra:
`pip install 'jarida[s3]'`.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from jarida.backups import retention


class OffsiteError(Exception):
    """The copy could not be made or read; the message says why."""


@dataclass(frozen=True)
class Bucket:
    name: str
    prefix: str
    endpoint: str | None = None

    @classmethod
    def from_url(cls, url: str, endpoint: str | None = None) -> "Bucket":
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise OffsiteError(f"{url!r} is not like s3://bucket/prefix/")
        prefix = parts.path.lstrip("/")
        return cls(
            parts.netloc,
            prefix if not prefix or prefix.endswith("/") else prefix + "/",
            endpoint or None,
        )

    def client(self):
        try:
            import boto3
        except ImportError:
            raise OffsiteError("boto3 is not installed: pip install 'jarida[s3]'") from None
        return boto3.client("s3", endpoint_url=self.endpoint)


def upload(archive: Path, bucket: Bucket) -> str:
    """Copy one archive up and check the stored size; return its s3:// address."""
    key = bucket.prefix + archive.name
    client = bucket.client()
    try:
        client.upload_file(str(archive), bucket.name, key)
        stored = client.head_object(Bucket=bucket.name, Key=key)["ContentLength"]
    except Exception as error:  # botocore's errors carry the server's reason
        raise OffsiteError(f"upload to s3://{bucket.name}/{key} failed: {error}") from error
    if stored != archive.stat().st_size:
        raise OffsiteError(
            f"s3://{bucket.name}/{key} holds {stored} bytes, not {archive.stat().st_size}"
        )
    return f"s3://{bucket.name}/{key}"


def download(url: str, directory: Path, endpoint: str | None = None) -> Path:
    """Fetch an archive named by its s3:// address into `directory` (for a restore)."""
    parts = urlsplit(url)
    name = PurePosixPath(parts.path).name
    if parts.scheme != "s3" or not retention.NAME_PATTERN.match(name):
        raise OffsiteError(f"{url!r} is not the address of a Jarida backup")
    destination = directory / name
    try:
        Bucket(parts.netloc, "", endpoint).client().download_file(
            parts.netloc, parts.path.lstrip("/"), str(destination)
        )
    except Exception as error:
        raise OffsiteError(f"download of {url} failed: {error}") from error
    return destination


def prune(bucket: Bucket, policy: retention.Policy) -> list[str]:
    """Delete the remote archives the retention policy does not keep; return their keys."""
    client = bucket.client()
    keys = {}
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket.name, Prefix=bucket.prefix
    ):
        for item in page.get("Contents", []):
            if at := retention.archive_time(Path(item["Key"])):
                keys[at] = item["Key"]
    kept = retention.to_keep(list(keys), policy)
    gone = [key for at, key in keys.items() if at not in kept]
    for key in gone:
        client.delete_object(Bucket=bucket.name, Key=key)
    return gone
