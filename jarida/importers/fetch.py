"""Outbound HTTP that cannot be turned against us: public addresses only, bounded in time and size.

Every hop (the configured URL and each redirect) is resolved and checked before connecting,
and the connection goes to the address that was checked (no second DNS answer can swap in
127.0.0.1). Private, loopback, link-local and reserved addresses are refused unless
`settings.JARIDA_WIRE_ALLOW_PRIVATE` is on (the tests' servers on 127.0.0.1).

Time: a socket timeout bounds each wait, not the whole answer (a server dripping a byte
every 15 s never trips a 20 s read timeout), so a watchdog shuts the socket down when the
fetch's total time (`settings.JARIDA_FETCH_TOTAL_TIMEOUT`, all hops together) is up,
whatever the fetch is waiting for: headers, body, or a TLS record.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "Jarida-ingest/1.0"


class FetchError(Exception):
    """The URL was refused or could not be fetched; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def _allowed(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return allow_private or (ip.is_global and not ip.is_multicast)


def vetted_address(host: str, port: int, allow_private: bool) -> str:
    """Resolve `host`; refuse it when any of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {host}: {error}") from None
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _allowed(a, allow_private)]
    if refused:
        raise FetchError(
            f"refused: {host} resolves to a private or reserved address ({refused[0]})"
        )
    return addresses[0]


def _connection(scheme: str, host: str, port: int, address: str) -> http.client.HTTPConnection:
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=CONNECT_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=CONNECT_TIMEOUT)

    # Connect to the address that was checked; TLS still verifies the certificate for `host`.
    def connect_to_vetted(_address, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    conn._create_connection = connect_to_vetted
    return conn


def _read_capped(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"refused: {declared} bytes is over the {max_bytes}-byte cap")
    chunks, size = [], 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"refused: more than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class _Watchdog:
    """Shuts a connection's socket down when the fetch's time is up (a blocked read ends)."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float):
        self.conn, self.fired = conn, False
        self.timer = threading.Timer(max(seconds, 0.0), self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self) -> None:
        self.fired = True
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    allow_private: bool | None = None,
    total_timeout: float | None = None,
) -> Fetched:
    """GET `url` (http or https), following at most MAX_REDIRECTS redirects, each re-checked;
    the whole of it within `total_timeout` seconds (default the setting)."""
    if allow_private is None:
        allow_private = settings.JARIDA_WIRE_ALLOW_PRIVATE
    if total_timeout is None:
        total_timeout = settings.JARIDA_FETCH_TOTAL_TIMEOUT
    deadline = time.monotonic() + total_timeout
    timed_out = FetchError(f"timed out: no complete answer within {total_timeout:.1f} s")
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"refused: not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = vetted_address(parts.hostname, port, allow_private)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise timed_out
        conn = _connection(parts.scheme, parts.hostname, port, address)
        conn.timeout = min(CONNECT_TIMEOUT, remaining)
        watchdog = _Watchdog(conn, remaining)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            conn.sock.settimeout(min(READ_TIMEOUT, max(deadline - time.monotonic(), 0.001)))
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} {response.reason}")
            body = _read_capped(response, max_bytes)
            if watchdog.fired:  # the socket was cut: what was read is not the whole answer
                raise timed_out
            return Fetched(url, response.getheader("Content-Type", ""), body)
        except (OSError, http.client.HTTPException) as error:
            if watchdog.fired or time.monotonic() >= deadline:
                raise timed_out from None
            raise FetchError(f"{type(error).__name__}: {error}") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"refused: more than {MAX_REDIRECTS} redirects")
