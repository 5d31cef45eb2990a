"""The text of a PDF the server exports (fpdf2, an embedded TrueType subset), for tests: each
text run decoded through the font's ToUnicode map. Enough for our own exports, not a parser
for PDFs in general."""

from __future__ import annotations

import re
import zlib

_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_STRING = rb"\(((?:\\.|[^\\)])*)\)"
_SHOWN = re.compile(rb"\[((?:" + _STRING + rb"|[^\]])*)\]\s*TJ|" + _STRING + rb"\s*Tj", re.S)
"""A run of text shown: a `[(…) -12.3 (…)] TJ` array (a justified line) or a `(…) Tj`."""


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _unescaped(text: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes undone."""
    out, i = bytearray(), 0
    while i < len(text):
        if text[i : i + 1] != b"\\":
            out += text[i : i + 1]
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", text[i + 1 : i + 4])
        if octal is not None:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(text[i + 1 : i + 2], text[i + 1 : i + 2])
            i += 2
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """Every text run of the PDF, in the order written, one per line (a line the PDF wraps
    is several runs)."""
    streams = _streams(pdf)
    glyphs: dict[int, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for gid, code in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[int(gid, 16)] = bytes.fromhex(code.decode()).decode("utf-16-be")
    runs = []
    for stream in streams:
        for shown in _SHOWN.finditer(stream):
            parts = re.findall(_STRING, shown.group(1)) if shown.group(1) is not None else []
            raw = b"".join(_unescaped(p) for p in parts or [shown.group(3)])
            ids = (int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw), 2))
            runs.append("".join(glyphs.get(g, "\ufffd") for g in ids))
    return "\n".join(runs)
