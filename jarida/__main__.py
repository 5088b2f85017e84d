"""The `jarida` console script and `manage.py`: Django's command line with our settings."""

import os
import sys
from pathlib import Path


def missing_sqlite_folder() -> Path | None:
    """The folder of the SQLite database when it does not exist (SQLite creates its file,
    not its folder, and would fail with "unable to open database file", naming neither)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3") or str(database["NAME"]) == ":memory:":
        return None
    folder = Path(database["NAME"]).parent
    return None if folder.is_dir() else folder


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jarida.settings")
    from django.core.management import execute_from_command_line

    if folder := missing_sqlite_folder():
        sys.exit(
            f"The data directory {folder} does not exist. Run `make setup` (or "
            "`python -m jarida.datadir`), which creates it and its secret key."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
