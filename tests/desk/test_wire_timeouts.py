"""Outbound fetches end on time however slowly a server answers (issue 15): a real server
on 127.0.0.1 drips its answer one byte at a time, each byte well within the read timeout."""

import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jarida.articles.models import Agency
from jarida.desk.models import WireFeed, WireItem
from jarida.importers import fetch, media
from jarida.importers.fetch import FetchError

pytestmark = pytest.mark.django_db

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    b"<item><guid>g-1</guid><title>Rain in Baghdad</title></item></channel></rss>"
)
DRIP_EVERY = 0.2  # seconds between bytes: far below READ_TIMEOUT (20 s), so only the cap ends it
CAP = 1.5


class DrippingServer:
    """Answers each connection byte by byte: `/headers` drips the status line and headers,
    `/body` sends headers at once and drips a 10,000-byte body, `/fast` answers an RSS feed."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def drip(self, conn, data: bytes):
        for byte in data:
            if self.stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(DRIP_EVERY)

    def answer(self, conn):
        with conn:
            try:
                request = conn.recv(4096).decode("latin-1")
                path = request.split(" ", 2)[1]
                if path == "/fast":
                    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(RSS)}\r\n\r\n".encode()
                    conn.sendall(head + RSS)
                elif path == "/headers":
                    self.drip(conn, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1000)
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n")
                    self.drip(conn, b"x" * 10000)
            except OSError:  # the client gave up: what the test wants
                pass

    def close(self):
        self.stop.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def dripping(settings):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    settings.JARIDA_FETCH_TOTAL_TIMEOUT = CAP
    server = DrippingServer()
    yield server
    server.close()


@pytest.mark.parametrize("path", ["/headers", "/body"])
def test_a_dripping_answer_is_cut_at_the_total_cap(dripping, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out: no complete answer within 1.5 s"):
        fetch.fetch(dripping.base + path)
    elapsed = time.monotonic() - started
    assert CAP <= elapsed < CAP + 1.0, elapsed


def test_a_fast_answer_is_whole(dripping):
    assert fetch.fetch(dripping.base + "/fast").body == RSS


def test_fetch_wire_feeds_ends_within_its_run_cap(dripping, settings, capsys):
    settings.JARIDA_WIRE_RUN_TIMEOUT = 2.5
    agency = Agency.objects.create(name="اسوشيتدبرس", slug="ap")
    for name, path in [("Fast", "/fast"), ("Slow headers", "/headers"), ("Slow body", "/body")]:
        WireFeed.objects.create(name=name, url=dripping.base + path, agency=agency)
    started = time.monotonic()
    with pytest.raises(CommandError):
        call_command("fetch_wire_feeds")
    elapsed = time.monotonic() - started
    # Three feeds, two of which would drip for half an hour: the run ends at its cap.
    assert elapsed < settings.JARIDA_WIRE_RUN_TIMEOUT + 1.5, elapsed
    errors = dict(WireFeed.objects.values_list("name", "last_error"))
    assert errors["Fast"] == ""
    # Each slow feed got the fetch cap or what was left of the run's time, if less.
    assert errors["Slow headers"].startswith("timed out: no complete answer within")
    assert errors["Slow body"].startswith("timed out: no complete answer within")
    assert WireItem.objects.get().title == "Rain in Baghdad"


def test_an_imported_image_fetch_is_cut_at_the_cap(dripping):
    started = time.monotonic()
    with pytest.raises(media.MediaError, match="timed out"):
        media.fetch_image(dripping.base + "/body", alt_text="صورة")
    assert time.monotonic() - started < CAP + 1.0
