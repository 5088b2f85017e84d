import io
import logging.config

import pytest
from django.conf import settings

from jarida.monitoring.logs import logging_config


@pytest.fixture
def log_output():
    """Configure logging as settings do, in the format asked, into a buffer; restore after."""
    buffers = []

    def configure(log_format: str, dedup_seconds: float = 60) -> io.StringIO:
        buffer = io.StringIO()
        config = logging_config(log_format, "INFO", dedup_seconds)
        config["handlers"]["console"]["stream"] = buffer
        logging.config.dictConfig(config)
        buffers.append(buffer)
        return buffer

    yield configure
    logging.config.dictConfig(settings.LOGGING)
