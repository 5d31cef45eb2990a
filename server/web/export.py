"""Exporting an approved entry: plain text for pasting into a journal system, and PDF.

Text layout (Treserva, Lifecare, Procapita, Viva and Combine all take pasted plain text):
UTF-8, Windows line breaks (CRLF), no tabs, no trailing spaces, headings on lines of their own
followed by their text, so each section can be pasted under the matching heading (sökord);
"Vad som framkom" keeps its life areas as headings with their quoted lines beneath. The
transcript ("Bilaga: transkription") follows only when the caseworker asks for it.
Lines are not hard-wrapped: the journal system wraps them. The approval line and any dated
addenda come last.

PDF: fpdf2 with DejaVu Sans (Debian's fonts-dejavu-core) so å, ä, ö and – print correctly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fredag.errors import UsageError
from server.web.frame import local_time

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)


@dataclass(frozen=True)
class AddendumOut:
    at: datetime
    author: str
    body: str


@dataclass(frozen=True)
class ExportEntry:
    text: str
    case_ref: str
    approved_at: datetime
    approved_by: str
    addenda: Sequence[AddendumOut] = ()
    attachment: Sequence[str] = ()
    """ "Bilaga: transkription" lines, only when the caseworker asked for them."""

    def lines(self) -> list[str]:
        out = [line.replace("\t", "    ").rstrip() for line in self.text.splitlines()]
        while out and not out[-1]:
            out.pop()
        out += ["", f"Godkänd av {self.approved_by} {local_time(self.approved_at)}"]
        for addendum in self.addenda:
            out += ["", f"Tillägg {local_time(addendum.at)}, {addendum.author}"]
            out += [line.replace("\t", "    ").rstrip() for line in addendum.body.splitlines()]
        if self.attachment:
            out += ["", *(line.replace("\t", "    ").rstrip() for line in self.attachment)]
        return out


def as_text(entry: ExportEntry) -> str:
    """The entry as plain text for a journal system: CRLF line breaks, UTF-8."""
    return "\r\n".join(entry.lines()) + "\r\n"


def font_path() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise UsageError(
        "no DejaVu Sans font for PDF export: install Debian's fonts-dejavu-core "
        "(scripts/bootstrap.sh does)"
    )


def as_pdf(entry: ExportEntry, title: str = "Journalanteckning") -> bytes:
    """The entry as an A4 PDF with a Unicode font; page numbers in the footer."""
    from fpdf import FPDF

    font = font_path()

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(
                0,
                6,
                f"Ärende {entry.case_ref} · sida {self.page_no()}/{{nb}}",
                align="C",
            )

    pdf = _Pdf(format="A4")
    pdf.set_title(f"{title} {entry.case_ref}")
    pdf.set_creator("Fredag")
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10.5)
    for line in entry.lines():
        if line.strip():
            pdf.multi_cell(0, 5.2, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    return bytes(pdf.output())
