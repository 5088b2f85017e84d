"""Where Jarida keeps its files. Pure Python: imported by settings and by the setup step."""

import os
from pathlib import Path

#: The checkout (or installed tree) holding manage.py.
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY_FILE_NAME = "secret_key"


def data_dir() -> Path:
    """The data directory: `JARIDA_DATA_DIR`, else `var/` beside manage.py (whatever the cwd)."""
    configured = os.environ.get("JARIDA_DATA_DIR")
    return Path(configured).expanduser().resolve() if configured else BASE_DIR / "var"
