"""The backup archive: one tar file holding the database, media, secret key and a manifest.

Layout (an uncompressed tar, so the manifest can be read without unpacking the rest):

    database.sqlite3.gz  or  database.pgdump   the database, consistent at one instant
    secret_key                                 when the key lives in the data directory
    media/<path>                               every uploaded file, as stored
    manifest.json                              versions, row counts, every member's sha256

The manifest comes last because it lists the checksums of everything before it.
"""

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

FORMAT = "jarida-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
SECRET_KEY_MEMBER = "secret_key"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive is unreadable, incomplete, tampered with or not a Jarida backup."""


class HashingReader:
    """A file wrapper that computes the sha256 of what tarfile reads through it."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ArchiveWriter:
    """Adds members to a tar file, remembering each one's size and sha256 for the manifest."""

    def __init__(self, path: Path):
        self.path = path
        self.files: dict[str, dict] = {}
        # Owner-only: the archive holds the secret key and readers' e-mail addresses.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._handle = os.fdopen(fd, "wb")
        # Closed by close() or abort(): the writer outlives this method.
        self._tar = tarfile.open(  # noqa: SIM115
            fileobj=self._handle, mode="w", format=tarfile.PAX_FORMAT
        )

    def add_file(self, name: str, source: Path) -> dict:
        """Add `source` as `name`; the size is taken once, so a file still growing is cut."""
        with open(source, "rb") as handle:
            info = tarfile.TarInfo(name)
            info.size = os.fstat(handle.fileno()).st_size
            info.mtime = int(os.fstat(handle.fileno()).st_mtime)
            info.mode = 0o600
            reader = HashingReader(handle)
            self._tar.addfile(info, reader)
        entry = {"size": info.size, "sha256": reader.digest.hexdigest()}
        self.files[name] = entry
        return entry

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))

    def close(self, manifest: dict) -> None:
        """Write the manifest last, flush to disk."""
        manifest = manifest | {"files": self.files}
        self.add_bytes(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        self._tar.close()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def abort(self) -> None:
        self._tar.close()
        self._handle.close()
        self.path.unlink(missing_ok=True)


def read_manifest(path: Path) -> dict:
    """The manifest of an archive, checked to be a Jarida backup this code can read."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read())
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such file") from None
    except KeyError:
        raise ArchiveError(f"{path}: no {MANIFEST} (an incomplete archive?)") from None
    except (tarfile.TarError, OSError, ValueError) as error:
        raise ArchiveError(f"{path}: not a readable backup archive ({error})") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path}: not a Jarida backup")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ArchiveError(
            f"{path}: backup format {manifest['format_version']} is newer than this "
            f"Jarida reads ({FORMAT_VERSION}); restore with the version that made it"
        )
    return manifest


def safe_member_name(name: str) -> PurePosixPath:
    """A member's path, refused when it could land outside the folder it is restored into."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\x00" in name:
        raise ArchiveError(f"unsafe path in archive: {name!r}")
    return path


@dataclass
class Member:
    name: str
    expected: dict
    handle: BinaryIO


def iter_members(path: Path, manifest: dict) -> Iterator[Member]:
    """Every listed member (regular files only), in archive order; unlisted ones are refused."""
    files = manifest["files"]
    seen = set()
    with tarfile.open(path, mode="r:") as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            safe_member_name(info.name)
            if not info.isfile():
                raise ArchiveError(f"unexpected non-file member {info.name!r}")
            if info.name not in files:
                raise ArchiveError(f"member {info.name!r} is not in the manifest")
            seen.add(info.name)
            yield Member(info.name, files[info.name], tar.extractfile(info))
    missing = set(files) - seen
    if missing:
        raise ArchiveError(f"{len(missing)} member(s) missing, e.g. {sorted(missing)[0]!r}")


def copy_verified(member: Member, destination: Path) -> None:
    """Write a member to `destination`, failing if its bytes differ from the manifest's."""
    digest = hashlib.sha256()
    size = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "xb") as out:
        while chunk := member.handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    check(member, size, digest.hexdigest())


def verify_member(member: Member) -> None:
    digest = hashlib.sha256()
    size = 0
    while chunk := member.handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    check(member, size, digest.hexdigest())


def check(member: Member, size: int, sha256: str) -> None:
    if size != member.expected["size"] or sha256 != member.expected["sha256"]:
        raise ArchiveError(
            f"{member.name}: checksum mismatch (the archive is damaged; use another backup)"
        )
