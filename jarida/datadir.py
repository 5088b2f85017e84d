"""Prepare the data directory: `python -m jarida.datadir` (run by `make setup`).

Creates the directory and, when no `SECRET_KEY` is given in the environment, a secret
key file that settings read. Settings never write files themselves.
"""

import os
import secrets
import sys

from jarida.paths import SECRET_KEY_FILE_NAME, data_dir


def prepare() -> list[str]:
    """Create the data directory and the secret key file if absent; return what was done."""
    done = []
    directory = data_dir()
    for path in (directory, directory / "media", directory / "cache"):
        if not path.exists():
            path.mkdir(parents=True)
            done.append(f"created {path}")
    key_file = directory / SECRET_KEY_FILE_NAME
    if not os.environ.get("SECRET_KEY") and not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        done.append(f"generated {key_file}")
    return done


if __name__ == "__main__":
    for line in prepare():
        print(line, file=sys.stderr)
