"""Streaming XML that cannot hurt: no DTDs or entities, no network, errors with line and column.

lxml's iterparse with entity resolution off never expands `&lol9;` nor reads
`SYSTEM "file:///etc/passwd"`; any DTD is refused outright (WordPress exports have none),
so a billion-laughs file fails with a clear message instead of a silently truncated post.
"""

import codecs
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from lxml import etree

BLOCK_SIZE = 1 << 20
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: Arabic sites' legacy encoding: what a stray non-UTF-8 line in an export most often is.
FALLBACK_ENCODING = "windows-1256"


class BadXML(Exception):
    """The file is not safe, well-formed XML; the message says where and why."""


class Utf8Repair:
    """A reader giving the parser UTF-8: lines that are not UTF-8 are decoded as windows-1256.

    Whole blocks that decode cleanly pass through untouched (the fast path); only a block
    with bad bytes is mended line by line, and `on_repair(line_number)` reports each line.
    """

    def __init__(self, raw: BinaryIO, on_repair: Callable[[int], None]):
        self.raw, self.on_repair = raw, on_repair
        self.buffer, self.line, self.carry = b"", 1, b""

    def _next_block(self) -> bytes:
        block = self.carry + self.raw.read(BLOCK_SIZE)
        self.carry = b""
        if block and not block.endswith(b"\n"):
            # End on a line boundary (lines are mended whole), reading at most one more
            # block: a file without newlines (a bomb of one line) is never held whole. A
            # line cut there is cut after a whole UTF-8 character.
            block += self.raw.readline(BLOCK_SIZE)
            if not block.endswith(b"\n"):
                block, self.carry = _split_incomplete_utf8(block)
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            block = b"".join(
                self._mend(line, self.line + n)
                for n, line in enumerate(block.splitlines(keepends=True))
            )
        self.line += block.count(b"\n")
        return block

    def _mend(self, line: bytes, number: int) -> bytes:
        try:
            line.decode("utf-8")
            return line
        except UnicodeDecodeError:
            self.on_repair(number)
            return line.decode(FALLBACK_ENCODING, errors="replace").encode("utf-8")

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            block = self._next_block()
            if not block:
                break
            self.buffer += block
        if size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out


def _split_incomplete_utf8(block: bytes) -> tuple[bytes, bytes]:
    """(block up to its last whole UTF-8 character, the incomplete tail)."""
    for back in range(1, min(4, len(block)) + 1):
        byte = block[-back]
        if byte < 0x80:
            return block, b""
        if byte >= 0xC0:  # a lead byte: is its sequence complete?
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return (block, b"") if needed <= back else (block[:-back], block[-back:])
    return block, b""


def _is_utf8(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    match = _DECLARED_ENCODING.match(head.removeprefix(codecs.BOM_UTF8))
    return not match or match.group(1).decode().lower().replace("_", "-") in {"utf-8", "utf8"}


class _Prefixed:
    """A stream with some already-read bytes put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            out = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(out) :]
            return out
        return self.rest.read(size)

    def readline(self, limit: int = -1) -> bytes:
        if self.head:
            line, sep, rest = self.head.partition(b"\n")
            if 0 < limit < len(line + sep):
                line, sep, rest = self.head[:limit], b"", self.head[limit:]
                self.head = rest
                return line
            self.head = rest
            more = limit - len(line) if limit > 0 else -1
            return line + sep + (b"" if sep or more == 0 else self.rest.readline(more))
        return self.rest.readline(limit)


def iter_elements(
    stream: BinaryIO,
    on_repair: Callable[[int], None] | None = None,
    on_warning: Callable[[int, str], None] | None = None,
) -> Iterator[etree._Element]:
    """Every element of the document as it ends (callers clear what they are done with).

    Raises `BadXML` for a DTD, malformed XML (with line and column) or undecodable bytes;
    `on_warning(line, message)` hears what the parser noted without refusing the file.
    """
    head = stream.read(4096)
    source = _Prefixed(head, stream)
    if on_repair and _is_utf8(head):
        source = Utf8Repair(source, on_repair)
    # lxml's error log is per thread, not per parse: start this parse's with a clean one.
    etree.clear_error_log()
    events = etree.iterparse(
        source,
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    checked = ended = False
    try:
        for _event, element in events:
            if not checked:
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise BadXML(
                        "refused: the file declares a DTD (its entities could expand into "
                        "gigabytes, the 'billion laughs' attack); WordPress exports have none"
                    )
                checked = True
            ended = element.getparent() is None
            yield element
    except etree.XMLSyntaxError as error:
        # libxml2 objects to a namespace name that is an IRI (`http://ëxämplë.com/`), which
        # XML parsers in practice accept, and says so once the document has ended: that
        # alone is a warning, never a reason to refuse a complete file.
        entries = list(error.error_log)
        if ended and entries and all(e.type_name == "WAR_NS_URI" for e in entries):
            if on_warning:
                for line, message in dict.fromkeys((e.line, e.message) for e in entries):
                    on_warning(line, f"namespace name is not an ASCII URI: {message}")
            return
        line, column = error.position
        raise BadXML(f"malformed XML at line {line}, column {column}: {error.msg}") from None
