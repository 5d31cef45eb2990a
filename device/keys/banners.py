"""Swedish banners for the touch UI's lock screen, one per key error (English in the CLI).

try:
    vault.unlock(pin)
except FredagError as exc:
    show(banner(exc))
"""

from __future__ import annotations

from fredag.errors import (
    DeviceLocked,
    FredagError,
    KeysDamaged,
    KeyStoreMissing,
    UnlockDelayed,
    WrongPassphrase,
)

BANNERS_SV: dict[type[FredagError], str] = {
    WrongPassphrase: "Fel lösenfras. Enheten är fortfarande låst.",
    UnlockDelayed: "För många felaktiga försök. Vänta en stund och försök igen.",
    KeysDamaged: "Enhetens nyckelfil är skadad. Inget har ändrats – kontakta IT-supporten.",
    KeyStoreMissing: "Enhetens nyckellager svarar inte. Inget har ändrats – kontakta IT-supporten.",
    DeviceLocked: "Enheten är låst. Lås upp med din lösenfras.",
}


def banner(exc: FredagError) -> str:
    """The Swedish banner for `exc`, with the English detail kept for support."""
    for kind, text in BANNERS_SV.items():
        if isinstance(exc, kind):
            wiped = isinstance(exc, WrongPassphrase) and "wiped" in str(exc)
            extra = " Ärendedata på enheten raderades enligt kommunens gräns." if wiped else ""
            return f"{text}{extra} ({exc})"
    return str(exc)
