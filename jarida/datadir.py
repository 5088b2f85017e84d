"""Prepare the data directory: `python -m jarida.datadir` (run by `make setup`).

Creates the directory and, when no `SECRET_KEY` is given in the environment, a secret
key file that settings read. Settings never write files themselves. On a new machine
before a restore, `python -m jarida.datadir --from-backup ARCHIVE` takes the key from
the backup instead of generating a new one.
"""

import argparse
import hashlib
import os
import secrets
import sys
import tarfile
from pathlib import Path

from jarida.paths import SECRET_KEY_FILE_NAME, data_dir


def prepare(backup: Path | None = None) -> list[str]:
    """Create the data directory and the secret key file if absent; return what was done."""
    done = []
    directory = data_dir()
    for path in (directory, directory / "media", directory / "cache"):
        if not path.exists():
            path.mkdir(parents=True)
            done.append(f"created {path}")
    key_file = directory / SECRET_KEY_FILE_NAME
    if not os.environ.get("SECRET_KEY") and not key_file.exists():
        key = key_from_backup(backup) if backup else secrets.token_urlsafe(50).encode()
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        done.append(f"{'restored' if backup else 'generated'} {key_file}")
    return done


def key_from_backup(archive: Path) -> bytes:
    """The secret key stored in a backup archive, checked against its manifest."""
    from jarida.backups.archive import SECRET_KEY_MEMBER, read_manifest

    manifest = read_manifest(archive)
    expected = manifest["files"].get(SECRET_KEY_MEMBER)
    if expected is None:
        sys.exit(f"{archive} holds no secret key ({manifest['secret_key']})")
    with tarfile.open(archive, mode="r:") as tar:
        key = tar.extractfile(SECRET_KEY_MEMBER).read()
    if hashlib.sha256(key).hexdigest() != expected["sha256"]:
        sys.exit(f"{archive}: the secret key does not match its checksum")
    return key


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Prepare the data directory.")
    parser.add_argument(
        "--from-backup", type=Path, metavar="ARCHIVE", help="take the secret key from a backup"
    )
    for line in prepare(parser.parse_args().from_backup):
        print(line, file=sys.stderr)
