"""gzip on the simulator's wire: compressed answers, and a gzip bomb for the gateway's tests.

A Traffic Center behind a web server may answer gzip-compressed; a hostile or broken one may
send a small body that unpacks to far more than ELK accepts. The bomb is built from one
compressed block repeated, so building it never holds more than its compressed bytes.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zlib

from elk_adapters.oso.simulator import soap

#: Unpacked size of the gzip-bomb answer: far above the gateway's limit, ~0.5 MB on the wire.
BOMB_BYTES = 512 * 1024 * 1024
_PIECE = 1024 * 1024
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no time


class Gzipped(bytes):
    """An answer body that is already gzip-compressed (sent with ``Content-Encoding: gzip``)."""


def compressed(body: bytes, accept_encoding: str) -> tuple[bytes, list[tuple[str, str]]]:
    """``body`` gzip-compressed when the client accepts it, with the header that says so."""
    if isinstance(body, Gzipped):
        return body, [("Content-Encoding", "gzip")]
    if "gzip" in accept_encoding.lower():
        return gzip.compress(body, compresslevel=6), [("Content-Encoding", "gzip")]
    return body, []


@functools.cache
def bomb() -> Gzipped:
    """A documentResponse that starts like a real one and goes on with BOMB_BYTES of base64."""
    prefix = soap.response("documentResponse", {"resultaat": "DossierGeleverd", "dossier": "A"})
    prefix = prefix[: prefix.rindex(b"A<")]  # open <oso:dossier>, never closed
    piece = b"A" * _PIECE
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the compressor starts afresh: the same piece gives the same block.
    block = deflate.compress(piece) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush(zlib.Z_FINISH)
    count = BOMB_BYTES // _PIECE
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(piece, crc)
    size = (len(prefix) + count * _PIECE) & 0xFFFFFFFF
    return Gzipped(_GZIP_HEADER + head + block * count + tail + struct.pack("<2L", crc, size))
