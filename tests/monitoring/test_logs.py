"""Request logs with ids, users, routes and durations; floods folded into a count."""

import json
import logging
import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from jarida.monitoring.logs import DedupFilter

ON_DISK = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


def records(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def request_records(buffer) -> list[dict]:
    return [r for r in records(buffer) if r["logger"] == "jarida.request"]


@pytest.mark.django_db
def test_json_request_line_carries_id_staff_user_route_status_and_duration(
    log_output, paper, admin_user
):
    buffer = log_output("json")
    client = Client()
    client.force_login(admin_user)
    article = paper["published"][0]
    response = client.get(article.get_absolute_url(), HTTP_X_REQUEST_ID="edge-7f3a.19")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "edge-7f3a.19"
    [line] = request_records(buffer)
    assert line["request_id"] == "edge-7f3a.19"
    assert line["user_id"] == admin_user.pk
    assert line["status"] == 200 and line["method"] == "GET"
    assert line["route"] == "<str:section_slug>/<int:pk>/<str:slug>/"
    assert line["path"] == unquote(article.get_absolute_url())  # Arabic as readers see it
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO" and "time" in line


@pytest.mark.django_db
def test_readers_get_a_fresh_id_and_no_user_id(log_output, paper):
    buffer = log_output("json")
    response = Client().get("/", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    [line] = request_records(buffer)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None and line["route"] == "/"


@pytest.mark.django_db
def test_text_lines_are_readable_with_the_request_id(log_output, paper):
    buffer = log_output("text")
    response = Client().get("/no-such-section/", HTTP_X_REQUEST_ID="r-1")
    line = next(ln for ln in buffer.getvalue().splitlines() if "jarida.request" in ln)
    assert re.search(r" INFO jarida\.request \[r-1\] GET /no-such-section/ 404 [\d.]+ ms$", line)
    assert response.status_code == 404


def test_unknown_log_format_is_a_clear_error():
    from jarida.monitoring.logs import logging_config

    with pytest.raises(ValueError, match="JARIDA_LOG_FORMAT must be 'text' or 'json'"):
        logging_config("yaml", "INFO", 60)


def make_error(logger="django.request", message="Internal Server Error: %s", path="/x"):
    try:
        raise ConnectionError("connection refused")
    except ConnectionError as error:
        record = logging.LogRecord(logger, logging.ERROR, __file__, 1, message, (path,), None)
        record.exc_info = (type(error), error, error.__traceback__)
        return record


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_thousand_identical_failures_pass_once_then_once_more_with_the_count():
    clock = Clock()
    dedup = DedupFilter(window=60, clock=clock)
    passed = [dedup.filter(make_error(path=f"/page/{n}")) for n in range(1000)]
    assert passed.count(True) == 1 and passed[0] is True
    clock.now += 61
    record = make_error()
    assert dedup.filter(record) is True
    assert record.repeated == 999
    assert "repeated 999 more times in the last 60 s" in record.repeated_note


def test_different_failures_are_not_folded_together():
    dedup = DedupFilter(window=60, clock=Clock())
    first = make_error()
    other_logger = make_error(logger="jarida.search")
    assert dedup.filter(first) and dedup.filter(other_logger)
    info = logging.LogRecord("jarida.request", logging.INFO, __file__, 1, "GET /", (), None)
    assert all(dedup.filter(info) for _ in range(5))  # request lines are never folded


def test_a_run_that_stops_is_reported_when_the_next_record_passes(caplog):
    clock = Clock()
    dedup = DedupFilter(window=60, clock=clock)
    for _ in range(10):
        dedup.filter(make_error())
    clock.now += 120
    info = logging.LogRecord("jarida.request", logging.INFO, __file__, 1, "GET /", (), None)
    with caplog.at_level(logging.WARNING, logger="jarida.logs"):
        assert dedup.filter(info)
    [summary] = [r for r in caplog.records if r.name == "jarida.logs"]
    assert summary.repeated == 9
    assert "ConnectionError: connection refused: repeated 9 more times" in summary.getMessage()


@ON_DISK
def test_a_database_outage_logs_one_traceback_not_one_per_request(log_output):
    buffer = log_output("json")
    settings_dict = connection.settings_dict
    saved, saved_raw = dict(settings_dict), connection.connection
    connection.connection = None  # set aside, not closed (SQLite's in-memory test db)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-jarida-dir/jarida.sqlite3"
    else:
        settings_dict["PORT"] = 1
    try:
        client = Client(raise_request_exception=False)
        statuses = [client.get(f"/politics/{n}/").status_code for n in range(200)]
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)
        connection.connection = saved_raw
    assert set(statuses) == {503}  # core.middleware.DatabaseUnavailableMiddleware
    text = buffer.getvalue()
    lines = records(buffer)
    assert len([r for r in lines if "exc_info" in r]) <= 1  # never a traceback per request
    assert len(request_records(buffer)) == 200
    requests = request_records(buffer)
    outage = [r for r in lines if r["level"] in ("WARNING", "ERROR") and r not in requests]
    # Once from the middleware that answers 503, once from Django's own 5xx line: each is
    # folded into a count for the other 199 requests.
    assert sorted(r["logger"] for r in outage) == ["django.request", "jarida.core.middleware"]
    assert outage[0]["request_id"] == request_records(buffer)[0]["request_id"]
    assert len(text) < 200 * 400 + 20_000  # one line a request and a single outage line
