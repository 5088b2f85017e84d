"""Outbound HTTP that cannot be turned against us: public addresses only, bounded in time and size.

Every hop (the configured URL and each redirect) is resolved and checked before connecting,
and the connection goes to the address that was checked (no second DNS answer can swap in
127.0.0.1). Private, loopback, link-local and reserved addresses are refused unless
`settings.JARIDA_WIRE_ALLOW_PRIVATE` is on (the tests' servers on 127.0.0.1).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 60.0
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


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"refused: {declared} bytes is over the {max_bytes}-byte cap")
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"refused: more than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out: still reading after {TOTAL_TIMEOUT:.0f} s")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, max_bytes: int = MAX_BYTES, allow_private: bool | None = None) -> Fetched:
    """GET `url` (http or https), following at most MAX_REDIRECTS redirects, each re-checked."""
    if allow_private is None:
        allow_private = settings.JARIDA_WIRE_ALLOW_PRIVATE
    deadline = time.monotonic() + TOTAL_TIMEOUT
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"refused: not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = vetted_address(parts.hostname, port, allow_private)
        conn = _connection(parts.scheme, parts.hostname, port, address)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            conn.sock.settimeout(READ_TIMEOUT)
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} {response.reason}")
            body = _read_capped(response, max_bytes, deadline)
            return Fetched(url, response.getheader("Content-Type", ""), body)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{type(error).__name__}: {error}") from None
        finally:
            conn.close()
    raise FetchError(f"refused: more than {MAX_REDIRECTS} redirects")
