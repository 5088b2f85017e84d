"""Back up a site into one archive and restore it: what the commands and the drill call."""

import gzip
import hashlib
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from jarida.backups import postgres, sqlite
from jarida.backups.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MEDIA_PREFIX,
    SECRET_KEY_MEMBER,
    ArchiveError,
    ArchiveWriter,
    copy_verified,
    iter_members,
    read_manifest,
    safe_member_name,
    sha256_file,
    verify_member,
)
from jarida.backups.retention import archive_name
from jarida.core.signals import content_changed
from jarida.paths import SECRET_KEY_FILE_NAME

SQLITE_MEMBER = "database.sqlite3.gz"
POSTGRES_MEMBER = "database.pgdump"


class RestoreRefused(Exception):
    """The target is not empty (or not compatible): nothing was changed."""


@dataclass(frozen=True)
class Site:
    """Where a site keeps its data: what a backup reads and a restore writes."""

    database: dict
    media_root: Path
    data_dir: Path

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Site":
        return cls(
            database=connections[alias].settings_dict,
            media_root=Path(settings.MEDIA_ROOT),
            data_dir=Path(settings.DATA_DIR),
        )

    @property
    def vendor(self) -> str:
        engine = self.database["ENGINE"]
        if engine.endswith("sqlite3"):
            return "sqlite"
        if engine.endswith("postgresql"):
            return "postgresql"
        raise ArchiveError(f"backups support SQLite and PostgreSQL, not {engine}")

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / SECRET_KEY_FILE_NAME


@dataclass
class Result:
    path: Path
    manifest: dict
    seconds: float
    notes: list[str] = field(default_factory=list)


def create_backup(site: Site, directory: Path, now: datetime | None = None) -> Result:
    """Write `jarida-<UTC time>.tar` into `directory`: database first, then media and key."""
    started = time.perf_counter()
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / archive_name(now)
    if final.exists():
        raise ArchiveError(f"{final} already exists")
    partial = final.with_name(final.name + ".partial")
    writer = ArchiveWriter(partial)
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as staging:
            # The database first: every file a row of the snapshot names was saved before
            # that row was committed, so it is on disk by the time media are read.
            database = _add_database(site, writer, Path(staging))
        secret = _add_secret_key(site, writer)
        media = _add_media(site, writer)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.astimezone(UTC).isoformat(),
            "versions": {
                "jarida": package_version("jarida"),
                "django": django.get_version(),
                "python": platform.python_version(),
            },
            "secret_key": secret,
            "media": media,
        } | database
        writer.close(manifest)
    except BaseException:
        writer.abort()
        raise
    os.replace(partial, final)
    return Result(final, read_manifest(final), time.perf_counter() - started)


def _add_database(site: Site, writer: ArchiveWriter, staging: Path) -> dict:
    if site.vendor == "sqlite":
        raw = staging / "jarida.sqlite3"
        sqlite.snapshot(Path(site.database["NAME"]), raw)
        counts = sqlite.table_counts(raw)
        migrations = sqlite.applied_migrations(raw)
        info = {"vendor": "sqlite", "sqlite_version": sqlite.version()}
        info |= {"sha256": sha256_file(raw), "size": raw.stat().st_size}
        packed = staging / SQLITE_MEMBER
        sqlite.compress(raw, packed)
        raw.unlink()
        writer.add_file(SQLITE_MEMBER, packed)
        info["member"] = SQLITE_MEMBER
    else:
        dump = staging / POSTGRES_MEMBER
        with postgres.exported_snapshot(site.database) as (snapshot_id, counts, migrations):
            postgres.dump(site.database, dump, snapshot_id)
        info = {"vendor": "postgresql", "member": POSTGRES_MEMBER}
        info |= postgres.versions(site.database)
        writer.add_file(POSTGRES_MEMBER, dump)
    return {"database": info, "tables": counts, "migrations": migrations}


def _add_secret_key(site: Site, writer: ArchiveWriter) -> str:
    if site.secret_key_file.is_file():
        writer.add_file(SECRET_KEY_MEMBER, site.secret_key_file)
        return "included"
    if os.environ.get("SECRET_KEY"):
        return "not included: SECRET_KEY comes from the environment"
    return "absent"


def _add_media(site: Site, writer: ArchiveWriter) -> dict:
    files = total = 0
    if site.media_root.is_dir():
        for folder, dirnames, filenames in os.walk(site.media_root):
            dirnames.sort()
            for filename in sorted(filenames):
                path = Path(folder, filename)
                if not path.is_file():
                    continue
                relative = path.relative_to(site.media_root).as_posix()
                total += writer.add_file(MEDIA_PREFIX + relative, path)["size"]
                files += 1
    return {"files": files, "bytes": total}


def verify_backup(archive: Path) -> dict:
    """Read every member and check it against the manifest; return the manifest."""
    manifest = read_manifest(archive)
    for member in iter_members(archive, manifest):
        if member.name == manifest["database"]["member"] == SQLITE_MEMBER:
            _check_unpacked_sqlite(member, manifest)
        else:
            verify_member(member)
    return manifest


def _check_unpacked_sqlite(member, manifest: dict) -> None:
    verify_member(member)
    member.handle.seek(0)
    unpacked = hashlib.sha256()
    with gzip.open(member.handle, "rb") as packed:
        while chunk := packed.read(CHUNK):
            unpacked.update(chunk)
    if unpacked.hexdigest() != manifest["database"]["sha256"]:
        raise ArchiveError("the database does not match its checksum once unpacked")


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def restore_backup(archive: Path, site: Site, force: bool = False) -> Result:
    """Restore `archive` into `site`, which must be empty unless `force` (old data moved aside)."""
    started = time.perf_counter()
    manifest = read_manifest(archive)
    _check_compatible(manifest, site)
    if not force:
        _check_empty(site, manifest)
    site.data_dir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    staging = Path(tempfile.mkdtemp(dir=site.data_dir, prefix=".restore-"))
    try:
        # Every byte is checked before anything in the site is touched.
        _unpack(archive, manifest, staging)
        _put_database(site, manifest, staging, force, notes)
        _put_media(site, staging, force, notes)
        _put_secret_key(site, staging, force, notes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _check_counts(site, manifest)
    content_changed.send(sender=restore_backup)
    return Result(archive, manifest, time.perf_counter() - started, notes)


def _check_compatible(manifest: dict, site: Site) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != site.vendor:
        raise RestoreRefused(
            f"this backup holds a {vendor} database but the site is configured for "
            f"{site.vendor} (DATABASE_URL): restore it into a {vendor} site first; moving "
            "between databases is described in docs/operations.md"
        )
    newer = {tuple(m) for m in manifest["migrations"]} - known_migrations()
    if newer:
        app, name = sorted(newer)[0]
        raise RestoreRefused(
            f"this backup was made by a newer Jarida ({len(newer)} migrations this code does "
            f"not know, e.g. {app}.{name}): install that version or a later one, then restore"
        )


def _check_empty(site: Site, manifest: dict) -> None:
    problems = []
    if site.vendor == "sqlite":
        database = Path(site.database["NAME"])
        # Django may have opened (and so created) an empty file: only tables count.
        if database.exists() and sqlite.table_counts(database):
            problems.append(f"the database {database} has tables")
    elif postgres.tables(site.database):
        problems.append(f"the database {site.database['NAME']} has tables")
    if site.media_root.is_dir() and any(p.is_file() for p in site.media_root.rglob("*")):
        problems.append(f"the media folder {site.media_root} holds files")
    stored_key = manifest["files"].get(SECRET_KEY_MEMBER)
    if (
        stored_key
        and site.secret_key_file.is_file()
        and sha256_file(site.secret_key_file) != stored_key["sha256"]
    ):
        problems.append(f"{site.secret_key_file} holds another key")
    if problems:
        raise RestoreRefused(
            "; ".join(problems) + ". Restore into an empty data directory and database, or "
            "pass --force to replace them (the current files are moved aside, not deleted)."
        )


def _unpack(archive: Path, manifest: dict, staging: Path) -> None:
    for member in iter_members(archive, manifest):
        copy_verified(member, staging / safe_member_name(member.name))


def _aside(path: Path, notes: list[str]) -> None:
    """Move an existing file or folder out of the way: a forced restore deletes nothing."""
    if not path.exists():
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.before-restore-{stamp}")
    shutil.move(path, target)
    notes.append(f"moved {path} to {target}")


def _put_database(site: Site, manifest: dict, staging: Path, force: bool, notes) -> None:
    if site.vendor == "postgresql":
        postgres.restore(site.database, staging / POSTGRES_MEMBER, clean=force)
        return
    unpacked = staging / "jarida.sqlite3"
    sqlite.decompress(staging / SQLITE_MEMBER, unpacked)
    if sha256_file(unpacked) != manifest["database"]["sha256"]:
        raise ArchiveError("the database does not match its checksum once unpacked")
    target = Path(site.database["NAME"])
    connections.close_all()
    # A file without tables (Django creates one when it first connects) holds nothing.
    empty = not target.exists() or not sqlite.table_counts(target)
    for suffix in ("", "-wal", "-shm"):
        path = target.with_name(target.name + suffix)
        if empty:
            path.unlink(missing_ok=True)
        else:
            _aside(path, notes)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(unpacked, target)


def _put_media(site: Site, staging: Path, force: bool, notes) -> None:
    restored = staging / MEDIA_PREFIX.rstrip("/")
    restored.mkdir(exist_ok=True)
    if site.media_root.exists():
        if any(site.media_root.iterdir()):
            _aside(site.media_root, notes)
        else:
            site.media_root.rmdir()
    site.media_root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(restored, site.media_root)


def _put_secret_key(site: Site, staging: Path, force: bool, notes) -> None:
    key = staging / SECRET_KEY_MEMBER
    if not key.exists():
        return
    if site.secret_key_file.exists():
        if site.secret_key_file.read_bytes() == key.read_bytes():
            return
        _aside(site.secret_key_file, notes)
    shutil.move(key, site.secret_key_file)
    site.secret_key_file.chmod(0o600)


def _check_counts(site: Site, manifest: dict) -> None:
    if site.vendor == "sqlite":
        counts = sqlite.table_counts(Path(site.database["NAME"]))
    else:
        counts = postgres.table_counts(site.database)
    wrong = {
        name: (rows, counts.get(name))
        for name, rows in manifest["tables"].items()
        if counts.get(name) != rows
    }
    if wrong:
        name, (expected, found) = sorted(wrong.items())[0]
        raise ArchiveError(
            f"after the restore {len(wrong)} table(s) differ from the backup, e.g. {name}: "
            f"{found} rows instead of {expected}"
        )
