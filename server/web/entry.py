"""The journal entry a caseworker edits and approves, built from structured data.

A text version's body is the entry's editable content as JSON (`{"format": "fredag.entry/2",
"journal": …, "names": …}`, a `fredag.protocol.Journal`: life areas with their quoted lines,
and the marks; and the caseworker's names for the device's speaker labels, which
`server.web.speakers` applies). Version 0 is the signed draft's own journal (a
fredag.draft/1 draft, which has none, gets its whole transcript as lines outside any area).
The caseworker's changes are line operations on that structure (`server.web.review`);
`compose()` renders header, "Vad som framkom", Bedömning and Planering through
`fredag.journal`, the one place the headings live. Nothing here looks for headings in text.
The reviewed factors are not journal text: they are the draft's tags with the caseworker's
decisions, kept and shown on the review page.

Text versions saved before entries were structured hold plain text; they are kept and shown
as written, with the reviewed factors, Bedömning and Planering appended after them.
"""

from __future__ import annotations

from fredag.journal import (
    Entry,
    FactorNote,
    Lang,
    factor_lines,
    journal_lines,
    label,
    render_entry,
    revised_segments,
)
from fredag.protocol import Draft as DraftDoc
from server.web.content import Content
from server.web.speakers import named
from server.web.view import FactorGroups


def notes(groups: FactorGroups, lang: Lang = "sv") -> list[FactorNote]:
    """The reviewed factors for the entry's factor section (rejected ones left out)."""
    out: list[FactorNote] = []
    for group, views in (
        ("risk", groups.risk),
        ("protective", groups.protective),
        ("denied", groups.denied),
    ):
        out += [FactorNote(v.name, group) for v in views if not v.rejected]  # type: ignore[arg-type]
    return out


def factor_section(groups: FactorGroups, catalogue_version: str, lang: Lang = "sv") -> list[str]:
    return factor_lines(notes(groups, lang), catalogue_version, lang, reviewed=True)


def journal_text(content: Content, doc: DraftDoc, lang: Lang = "sv") -> str:
    """ "Vad som framkom" of one version as text (what the versions page compares): each
    speaker as that version named them, labels the device changed with hindsight marked as
    in the entry."""
    current = named(content, doc.transcript.segments)
    if current is None:
        return content.legacy_text
    revised = revised_segments(doc.transcript.segments)
    return "\n".join(journal_lines(current.shown(), lang, revised=revised)) + "\n"


def compose(
    doc: DraftDoc,
    content: Content,
    groups: FactorGroups,
    assessment: str,
    planning: str,
    *,
    caseworker: str | None = None,
    lang: Lang = "sv",
) -> str:
    """The entry text approval stores: header, the edited journal and what the caseworker
    wrote as Bedömning and Planering (an old plain-text version: as written, with the reviewed
    factors appended as it had them). Each speaker as the version names them."""
    current = named(content, doc.transcript.segments)
    if current is None:
        return _compose_legacy(
            content.legacy_text, groups, doc.catalogue.version, assessment, planning, lang
        )
    entry = Entry(
        meeting=doc.meeting,
        journal=current.shown(),
        model_name=doc.transcript.model.name,
        assessment=assessment,
        planning=planning,
        final=True,
        caseworker=caseworker,
        has_speech=bool(doc.transcript.segments),
        revised=revised_segments(doc.transcript.segments),
    )
    return render_entry(entry, lang)


def _compose_legacy(
    text: str,
    groups: FactorGroups,
    catalogue_version: str,
    assessment: str,
    planning: str,
    lang: Lang,
) -> str:
    """An old plain-text version: kept exactly as written, the sections appended after it."""
    written = [
        label("assessment", lang),
        assessment.strip() or label("not_written", lang),
        "",
        label("planning", lang),
        planning.strip() or label("not_written", lang),
    ]
    body = [
        text.replace("\r\n", "\n").rstrip("\n"),
        "",
        *factor_section(groups, catalogue_version, lang),
        "",
        *written,
    ]
    return "\n".join(body).rstrip("\n") + "\n"
