"""base64url has one implementation, public in `fredag.protocol`, and nothing else writes it out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fredag.protocol import b64url_decode, b64url_encode

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fredag", "device", "server", "models", "risk_factors", "bench", "scripts", "tests")
HAND_WRITTEN = re.compile(r"urlsafe_b64(en|de)code")


class TestB64url:
    @pytest.mark.parametrize(
        "data", [b"", b"\xff", b"\xfb\xff", b"\x00\x01\x02", bytes(range(256))]
    )
    def test_round_trip_without_padding(self, data: bytes) -> None:
        """Encoding drops the padding and uses - and _; decoding gives the same bytes back."""
        text = b64url_encode(data)
        assert "=" not in text and "+" not in text and "/" not in text
        assert b64url_decode(text) == data

    def test_padding_is_optional_when_decoding(self) -> None:
        """Padded and unpadded text decode alike (keys come both ways from other tools)."""
        assert b64url_decode("_-8=") == b64url_decode("_-8") == b"\xff\xef"

    @pytest.mark.parametrize("text", ["a", "abcde", 42])
    def test_not_base64url_is_a_value_error(self, text: object) -> None:
        """Text that cannot be base64url (or is no text at all) raises ValueError."""
        with pytest.raises(ValueError):
            b64url_decode(text)  # type: ignore[arg-type]

    def test_no_module_writes_base64url_out_by_hand(self) -> None:
        """Outside fredag/protocol.py no module calls base64's url-safe functions itself."""
        offending = sorted(
            str(path.relative_to(ROOT))
            for package in PACKAGES
            for path in (ROOT / package).rglob("*.py")
            if path != ROOT / "fredag" / "protocol.py" and HAND_WRITTEN.search(path.read_text())
        )
        assert offending == []
