"""The caseworker's whole path in a real browser: from an uploaded draft to exported text."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from fredag.clock import local_text
from tests.server.harness import Api, ServerProcess
from tests.web.conftest import (
    Person,
    approve_open,
    current_catalogue,
    downloaded,
    exported_pdf_text,
    exported_text,
    login,
    make_person,
    review_all,
    screenshot,
    upload,
)
from tests.web.meeting import meeting_draft

pytestmark = pytest.mark.browser

ASSESSMENT = "Elias har stöd i skolan och i en kamrat; oron gäller pappans drickande."
PLANNING = "Nytt hembesök om två veckor tillsammans med mamma."


def _select_in_transcript(page: Any, words: str) -> None:
    """Select `words` in the transcript with the mouse-up the page listens for."""
    page.evaluate(
        """(words) => {
            for (const el of document.querySelectorAll('.seg-text')) {
                const text = el.textContent; const at = text.indexOf(words);
                if (at < 0) continue;
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                let node, seen = 0, range = document.createRange(), started = false;
                while ((node = walker.nextNode())) {
                    const len = node.textContent.length;
                    if (!started && at < seen + len) {
                        range.setStart(node, at - seen); started = true;
                    }
                    if (started && at + words.length <= seen + len) {
                        range.setEnd(node, at + words.length - seen); break;
                    }
                    seen += len;
                }
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return;
            }
            throw new Error('words not in transcript: ' + words);
        }""",
        words,
    )


class TestReviewAndApprove:
    def test_review_edit_approve_and_export(
        self,
        page: Any,
        web_server: ServerProcess,
        anna: Person,
        admin_api: Api,
        tmp_path: Path,
    ) -> None:
        """A caseworker highlights, rejects and adds tags, edits, assesses, approves and exports."""
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)

        expect(page.get_by_role("heading", name="Inkorg")).to_be_visible()
        screenshot(page, "inbox.png", tmp_path)
        page.locator(f'a[href="/utkast/{draft_id}"]').click()
        expect(page.locator("#model")).to_contain_text("kb-whisper-small-sv")
        expect(page.locator("#catalogue-version")).to_have_text(
            current_catalogue(web_server)["version"]
        )

        # Choosing a factor lights up its quote in the transcript and scrolls to it.
        page.get_by_role("button", name="Förälders missbruk eller beroende", exact=True).click()
        mark = page.locator('mark.ev[data-f~="risk-parental_substance_abuse"]').first
        expect(mark).to_have_class("ev active")
        expect(mark).to_have_text("pappa dricker")
        expect(mark).to_be_in_viewport()
        expect(page.locator("mark.ev.active")).to_have_count(1)
        # Its tooltip is for people: description and citations, no slug or source codes.
        tip = page.locator("#tip-risk-parental_substance_abuse").text_content() or ""
        assert "parental_substance_abuse" not in tip and "Källor" in tip, tip
        assert not re.search(r"\b[A-ZÅÄÖ]{2,4}:", tip), tip
        screenshot(page, "draft.png", tmp_path, full_page=False)

        # Reject one tag (through HTMX, with the CSRF header from <body>).
        conflict = page.locator('li.factor[data-key="risk-family_conflict"]')
        conflict.get_by_role("button", name="Avvisa").click()
        expect(page.locator('li.factor[data-key="risk-family_conflict"] .fstatus')).to_have_text(
            "avvisad"
        )

        # Add a factor by selecting its quote in the transcript.
        _select_in_transcript(page, "ekonomin går ihop")
        expect(page.locator("#add-quote")).to_have_value("ekonomin går ihop")
        page.locator("#add-factor-slug").select_option("stable_economy")
        page.get_by_role("button", name="Lägg till faktor").click()
        added = page.locator('li.factor[data-key="protective-stable_economy"]')
        expect(added.locator(".fstatus")).to_have_text("tillagd av handläggaren")
        # The added factor's sentence joins the journal under its life area (version 1).
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        expect(page.locator('h3.area[data-area="bbic_ekonomi"]')).to_be_visible()
        expect(page.locator('mark.ev[data-f~="protective-stable_economy"]')).to_have_text(
            "ekonomin går ihop"
        )

        # "Vad som framkom": quotes only, by life area; the transcript is the attachment beside it.
        journal = page.locator("#journal")
        expect(journal).to_contain_text("Familj och miljö: familjens bakgrund")
        expect(journal.locator("textarea").first).to_have_value(re.compile("Elias går i skolan"))
        expect(journal).not_to_contain_text("ses igen om två veckor")
        page.locator("#transcript-search").fill("ses igen")
        expect(page.locator("#seg-0")).to_be_hidden()
        expect(page.locator("#seg-5")).to_be_visible()

        # Pull a transcript line into an area with one action, then edit it: new versions.
        page.locator("#pull-target").select_option("bbic_stabilitet")
        page.locator("#seg-5 button.pull").click()
        expect(page.locator("#text-h")).to_contain_text("Version 2")
        saved_at = datetime.now(UTC)
        pulled = page.locator("li.jline", has_text="ses igen om två veckor")
        pulled.locator("textarea").fill("Vi bestämmer att vi ses igen den 6 december.")
        pulled.get_by_role("button", name="Spara raden").click()
        expect(page.locator("#text-h")).to_contain_text("Version 3")
        expect(page.locator("li.jline", has_text="den 6 december")).to_contain_text(
            "ändrad av handläggaren"
        )

        # Move a line to another area, and drop one.
        school = page.locator("li.jline", has_text="Elias går i skolan")
        school.locator("select").select_option("bbic_familj_relationer")
        school.get_by_role("button", name="Flytta").click()
        expect(page.locator("#text-h")).to_contain_text("Version 4")
        expect(page.locator('h3.area[data-area="bbic_utbildning"]')).to_have_count(0)
        friend = page.locator("li.jline", has_text="bra kompis")
        friend.get_by_role("button", name="Ta bort raden").click()
        expect(page.locator("#text-h")).to_contain_text("Version 5")
        expect(page.locator("li.jline", has_text="bra kompis")).to_have_count(0)

        page.get_by_role("link", name="Versioner och skillnader").click()
        page.locator("#fran").select_option("2")
        page.locator("#till").select_option("3")
        page.get_by_role("button", name="Jämför").click()
        expect(page.locator("#diff .d-del")).to_contain_text("ses igen om två veckor")
        # One clock: the version's time is Swedish time, like the rest of the page.
        listed = page.locator(".versions li").nth(1).inner_text()
        assert any(local_text(saved_at + timedelta(minutes=m)) in listed for m in (-1, 0, 1)), (
            listed
        )
        expect(page.locator("#diff .d-add")).to_contain_text("ses igen den 6 december")
        # Each version says what changed, in Swedish like the rest of the page.
        notes = page.locator(".versions li")
        for number, note in enumerate(["rad: hämtad", "rad: ändrad", "rad: flyttad"], 2):
            expect(notes.nth(number)).to_contain_text(f"({note})")
        expect(notes.nth(5)).to_contain_text("(rad: borttagen)")
        shown = page.locator("#diff").inner_text().splitlines()
        assert "" not in shown[:3], shown  # one line of the diff a line, no gaps
        screenshot(page, "versions.png", tmp_path)
        page.get_by_role("link", name="← Utkast").click()

        # Bedömning and Planering, written by hand.
        page.get_by_label("Bedömning", exact=True).fill(ASSESSMENT)
        page.get_by_label("Planering", exact=True).fill(PLANNING)
        page.get_by_role("button", name="Spara bedömning och planering").click()
        preview = page.locator("#preview-text")
        expect(preview).to_contain_text(ASSESSMENT)
        # The added factor's sentence is in the entry under its area; factor names are not.
        # areas of one group under the group's heading once ("Familj och miljö", "Ekonomi")
        expect(preview).to_contain_text("Familj och miljö")
        expect(preview).to_contain_text("Ekonomi")
        expect(preview).to_contain_text("ekonomin går ihop")
        expect(preview).not_to_contain_text("Stabil ekonomi")
        expect(preview).not_to_contain_text("Konflikter i familjen")
        expect(preview).not_to_contain_text("bra kompis")

        # Approve: every tag reviewed first; who and when are recorded; the editing forms go.
        review_all(page)
        page.get_by_label("Jag har läst texten och godkänner den som journalanteckning.").check()
        page.get_by_role("button", name="Godkänn journalanteckning").click()
        expect(page.locator("#status")).to_have_text("Godkänd")
        expect(page.locator("#godkand")).to_contain_text("Godkänd av Anna Lind")
        expect(page.locator("#journal")).to_have_count(0)
        approved = page.locator("#approved-text")
        expect(approved).to_contain_text("JOURNALANTECKNING\n")
        expect(approved).to_contain_text("ses igen den 6 december")
        expect(approved).to_contain_text(PLANNING)
        screenshot(page, "approved.png", tmp_path)

        raw = downloaded(page, tmp_path, "entry.txt", "#export-txt").read_bytes()
        text = raw.decode("utf-8")
        assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
        assert ASSESSMENT in text and PLANNING in text
        assert "Godkänd av Anna Lind" in text
        assert "Konflikter i familjen" not in text
        assert "Familj och miljö\r\n  Familjens bakgrund" in text
        # The caseworker's own words are never exported as the client's verbatim quote.
        assert '"Vi bestämmer att vi ses igen den 6 december." (ändrad av handläggaren)' in text
        assert "Bilaga: transkription" not in text

        attached = exported_text(
            page, tmp_path, "entry-with-transcript.txt", "#export-txt-attachment"
        )
        assert "Bilaga: transkription" in attached and "bra kompis" in attached

        pdf = downloaded(page, tmp_path, "entry.pdf", "#export-pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        assert b"DejaVu" in pdf and b"/ToUnicode" in pdf

        events = admin_api.get("/api/v1/admin/audit", params={"object_id": draft_id}).json()
        actions = [e["action"] for e in events]
        for action in ("draft.upload", "draft.read", "draft.edit", "draft.approve"):
            assert action in actions, action
        assert actions.count("draft.export") == 3
        edits = [e for e in events if e["action"] == "draft.edit"]
        assert all(e["actor"] == anna.username for e in edits)


class TestInbox:
    def test_pages_newest_first_by_case(
        self, page: Any, web_server: ServerProcess, admin_api: Api
    ) -> None:
        """The inbox shows 50 drafts a page, newest first, and pages forward and back."""
        erik = make_person(web_server, admin_api, "erik", "Erik Sund")
        base = meeting_draft(erik.device.key, current_catalogue(web_server), case_ref="A-1")
        ids = []
        for n in range(53):
            draft = base.model_copy(
                update={
                    "draft_id": uuid.uuid4(),
                    "meeting": base.meeting.model_copy(update={"case_ref": f"A-{n % 3}"}),
                }
            )
            ids.append(upload(erik, draft))
        login(page, erik.username)
        rows = page.locator("main tbody tr")
        expect(rows).to_have_count(50)
        expect(page.locator(f'a[href="/utkast/{ids[-1]}"]')).to_be_visible()
        expect(page.locator("section.case h2")).to_have_count(3)
        page.get_by_role("link", name="Äldre →").click()
        expect(rows).to_have_count(3)
        expect(page.locator(f'a[href="/utkast/{ids[0]}"]')).to_be_visible()
        expect(page.get_by_text("Sida 2")).to_be_visible()
        page.get_by_role("link", name="← Nyare").click()
        expect(rows).to_have_count(50)
        expect(page.get_by_text("Sida 1")).to_be_visible()
        page.get_by_label("Visa ärende").fill("a-1")  # case-insensitive
        page.get_by_role("button", name="Visa", exact=True).click()
        expect(rows).to_have_count(18)
        page.get_by_label("Visa ärende").fill("a-")  # a prefix: every A- case
        page.get_by_role("button", name="Visa", exact=True).click()
        expect(rows).to_have_count(50)


class TestDiscardAndRestore:
    def test_restore_original_then_discard_with_reason(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """The original text comes back as a new version; a discard needs and keeps a reason."""
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        original = page.locator("#journal").inner_text()
        page.locator("li.jline").first.get_by_role("button", name="Ta bort raden").click()
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        assert page.locator("#journal").inner_text() != original
        page.get_by_role("link", name="Versioner och skillnader").click()
        page.get_by_role("button", name="Återställ originalet").click()
        expect(page.locator("#text-h")).to_contain_text("Version 2")
        assert page.locator("#journal").inner_text() == original
        page.goto(f"/utkast/{draft_id}/versioner?fran=1&till=2")
        expect(page.locator(".versions")).to_contain_text("återställd från version 0")

        page.goto(f"/utkast/{draft_id}")
        page.get_by_label("Skäl").fill("Fel ärende valdes på enheten.")
        page.get_by_role("button", name="Kassera", exact=True).click()
        expect(page.locator("#status")).to_have_text("Kasserad")
        expect(page.locator("main")).to_contain_text("Fel ärende valdes på enheten.")
        expect(page.locator("#journal")).to_have_count(0)
        page.goto("/inkorg")
        row = page.locator(f'tr:has(a[href="/utkast/{draft_id}"])')
        expect(row.locator(".badge")).to_have_text("Kasserad")


class TestOldDrafts:
    def test_an_old_draft_without_areas_shows_approves_and_exports(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """A fredag.draft/1 draft (no life areas) is accepted, shows its whole transcript as
        editable lines, and approves and exports with its quotes; Handläggare is the
        caseworker the device is enrolled to, even where the old device wrote its login."""
        old = meeting_draft(anna.device.key, current_catalogue(web_server), old=True)
        old = old.model_copy(
            update={"meeting": old.meeting.model_copy(update={"caseworker": "root"})}
        )
        draft_id = upload(anna, old)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        expect(page.locator("li.jline")).to_have_count(len(old.transcript.segments))
        expect(page.locator("#preview-text")).to_contain_text(
            '"Vi bestämmer att vi ses igen om två veckor."'
        )
        approve_open(page)
        exported = exported_text(page, tmp_path, "old.txt")
        assert "Vi bestämmer att vi ses igen om två veckor." in exported
        assert "Handläggare: Anna Lind" in exported and "root" not in exported


class TestWhoAndBoth:
    SEGMENTS = (
        "Vill du berätta om pappa?",
        "Han dricker varje helg och blir arg.",
        "Hur går det i skolan?",
        "Det går bra. Jag har många kompisar.",
        "Och hemma?",
        "Han har slagit mamma flera gånger.",
        "Har du själv druckit alkohol?",
        "Nej, jag har aldrig druckit, jag tränar fotboll i stället.",
    )

    def test_who_han_is_and_a_line_both_said_and_denied_show_and_export(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """The review page shows the words naming whom "han" stands for ("Sammanhang") above
        his line, and an answer both said and denied as one "Förnekat – person 1:" line (as
        the entry's text writes it); the exported text has both, each quote once."""
        draft = meeting_draft(
            anna.device.key,
            current_catalogue(web_server),
            segments=self.SEGMENTS,
            speakers=["handläggare", "person 1"],
        )
        draft_id = upload(anna, draft)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        ref = page.locator("#journal p.jref")
        expect(ref).to_have_count(1)
        expect(ref).to_contain_text("Sammanhang – handläggare: ”Vill du berätta om pappa?”")
        both = page.locator("#journal li.jline.denied", has=page.locator("textarea"))
        expect(both).to_have_count(1)
        expect(both.locator("textarea")).to_have_value(self.SEGMENTS[-1])
        expect(both.locator(".jlabel")).to_have_text("Förnekat")
        expect(both.locator("form")).to_contain_text("Förnekat – person 1:")
        approve_open(page)
        exported = exported_text(page, tmp_path, "who.txt")
        assert 'Sammanhang – handläggare: "Vill du berätta om pappa?"' in exported
        assert exported.count(self.SEGMENTS[-1]) == 1
        (line,) = [ln for ln in exported.splitlines() if self.SEGMENTS[-1] in ln]
        assert "Förnekat" in line

    DROPPED = (
        "Vill du berätta om pappa?",
        "Han dricker varje helg och blir arg.",
        "Hur går det hemma?",
        "Han har druckit mycket i flera år.",
    )

    def test_dropping_the_line_that_names_him_shows_who_he_is_again(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """Two lines about pappa under one area: the second needs nothing while the first,
        with the question naming him, is above it; the caseworker drops the first, and the
        second shows the question as "Sammanhang", on the page and in the export."""
        draft = meeting_draft(
            anna.device.key,
            current_catalogue(web_server),
            segments=self.DROPPED,
            speakers=["handläggare", "person 1"],
        )
        draft_id = upload(anna, draft)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        expect(page.locator("#journal p.jref")).to_have_count(0)
        first = page.locator("li.jline", has_text="Vill du berätta om pappa?")
        expect(first.locator("textarea")).to_have_value(self.DROPPED[1])
        first.get_by_role("button", name="Ta bort raden").click()
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        ref = page.locator("#journal p.jref")
        expect(ref).to_have_count(1)
        expect(ref).to_contain_text("Sammanhang – handläggare: ”Vill du berätta om pappa?”")
        approve_open(page)
        exported = exported_text(page, tmp_path, "dropped.txt")
        naming = exported.index('Sammanhang – handläggare: "Vill du berätta om pappa?"')
        assert naming < exported.index(self.DROPPED[3]), exported
        assert self.DROPPED[1] not in exported


class TestTypingSurvivesReview:
    def test_unsaved_line_text_stays_while_factors_are_decided(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """Accepting a factor (an HTMX swap) leaves a line being edited, unsaved, as typed."""
        draft_id = upload(anna, meeting_draft(anna.device.key, current_catalogue(web_server)))
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        box = page.locator("#journal li.jline textarea").first
        box.fill("Halvskriven rad")
        page.locator('li.factor[data-key="risk-parental_substance_abuse"] button.accept').click()
        expect(
            page.locator('li.factor[data-key="risk-parental_substance_abuse"] .fstatus')
        ).to_have_text("godtagen")
        expect(box).to_have_value("Halvskriven rad")


class TestLineChanges:
    """A line change that changes nothing stores no version; an empty line, a line already
    in the area or a change from a page out of date is refused with its reason."""

    def test_what_a_line_change_refuses_or_leaves_alone(
        self, page: Any, web_server: ServerProcess, anna: Person
    ) -> None:
        """A line saved with its words removed is refused with a message saying so (and how
        to drop it), nothing stored; a line saved unchanged or moved to the area it is in
        makes no new version; a transcript line pulled into an area that has it already is
        refused with a message; an edited line reads 'handläggare: (ändrad av handläggaren)';
        a change made on a page out of date (a second tab) shows the draft as it is now with
        the message, nothing stored."""
        catalogue = current_catalogue(web_server)
        draft = meeting_draft(anna.device.key, catalogue, speakers=["handläggare", "person 1"])
        draft_id = upload(anna, draft)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        first = page.locator("li.jline").first
        first.locator("textarea").fill("")
        first.get_by_role("button", name="Spara raden").click()
        expect(page.locator("#error-text")).to_contain_text("En rad kan inte sparas tom")
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        for button in ("Spara raden", "Flytta"):
            with page.expect_navigation():
                page.locator("li.jline").first.get_by_role("button", name=button).click()
            expect(page.locator("#saved-text")).to_be_visible()
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        page.locator("#pull-target").select_option("bbic_stabilitet")
        page.locator("#seg-5 button.pull").click()
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        page.locator("#pull-target").select_option("bbic_stabilitet")
        page.locator("#seg-5 button.pull").click()
        expect(page.locator("#error-text")).to_contain_text("finns redan ordagrant")
        expect(page.locator("li.jline", has_text="ses igen om två veckor")).to_have_count(1)
        page.goto(f"/utkast/{draft_id}/versioner")
        expect(page.locator("ol li")).to_have_count(2)
        page.goto(f"/utkast/{draft_id}")
        first = page.locator("li.jline").first
        first.locator("textarea").fill("Elias går i skolan.")
        first.get_by_role("button", name="Spara raden").click()
        expect(page.locator("li.jline").first.locator("form")).to_contain_text(
            "handläggare: (ändrad av handläggaren)"
        )
        other = page.context.new_page()
        other.goto(f"/utkast/{draft_id}")
        other.locator("li.jline").first.get_by_role("button", name="Ta bort raden").click()
        expect(other.locator("#text-h")).to_contain_text("Version 3")
        page.locator("li.jline").last.get_by_role("button", name="Ta bort raden").click()
        expect(page.locator("#error-text")).to_contain_text("har ändrats sedan sidan laddades")
        expect(page.locator("#text-h")).to_contain_text("Version 3")
        other.close()


class TestSpeakers:
    def test_renaming_a_speaker_reaches_the_whole_entry_and_its_export(
        self, page: Any, web_server: ServerProcess, anna: Person, tmp_path: Path
    ) -> None:
        """The transcript filters by speaker; 'handläggare' is refused as a name with its
        reason; the caseworker renames 'person 1' to 'mamma' once, drops every line of hers
        and pulls two back: every line of the entry, the transcript and its filter, the pulled
        lines, the exported text, the PDF and the attachment say 'mamma', each change a new
        version; a line whose label the device changed with hindsight is marked so on the page
        and in the exports; the signed original keeps 'person 1'."""
        draft = meeting_draft(
            anna.device.key,
            current_catalogue(web_server),
            speakers=["handläggare", "person 1"],
            revised={1},
        )
        draft_id = upload(anna, draft)
        login(page, anna.username)
        page.goto(f"/utkast/{draft_id}")
        told = "Mamma berättar att pappa dricker"
        revised = page.locator("li.jline", has_text=told)
        expect(revised.locator(".jspeaker")).to_have_text("person 1 (ändrad av enheten):")
        said = [s for s in draft.transcript.segments if s.speaker and s.speaker.label == "person 1"]
        page.locator("#transcript-speaker").select_option("person 1")
        expect(page.locator("#transcript-body p.seg:visible")).to_have_count(len(said))
        page.locator("#transcript-speaker").select_option("")
        expect(page.locator("#transcript-body p.seg:visible")).to_have_count(
            len(draft.transcript.segments)
        )
        expect(page.locator("#speaker-old option")).to_have_text(["person 1"])
        page.locator("#speaker-old").select_option("person 1")
        page.locator("#speaker-new").fill("Handläggare")
        page.get_by_role("button", name="Byt i hela anteckningen").click()
        expect(page.locator("#error-text")).to_contain_text("kan inte heta ”handläggare”")
        expect(page.locator("#speaker-new")).to_have_value("Handläggare")
        expect(page.locator("#text-h")).to_contain_text("Version 0")
        page.locator("#speaker-new").fill("mamma")
        page.get_by_role("button", name="Byt i hela anteckningen").click()
        expect(revised.locator(".jspeaker")).to_have_text("mamma (ändrad av enheten):")
        expect(page.locator("#text-h")).to_contain_text("Version 1")
        expect(page.locator("#speaker-names")).to_have_text("Namn i anteckningen: person 1 → mamma")
        page.locator("#transcript-speaker").select_option("mamma")
        expect(page.locator("#transcript-body p.seg:visible")).to_have_count(len(said))
        page.locator("#transcript-speaker").select_option("")
        # Every line of hers dropped: the name is stored with the version, not read from them.
        theirs = page.locator("li.jline", has=page.locator(".jspeaker", has_text="mamma"))
        for left in range(theirs.count(), 0, -1):
            theirs.first.get_by_role("button", name="Ta bort raden").click()
            expect(theirs).to_have_count(left - 1)
        expect(page.locator("#transcript-speaker option")).to_have_text(
            ["alla", "handläggare", "mamma"]
        )
        expect(page.locator("#transcript-body", has_text="person 1")).to_have_count(0)
        expect(page.locator("#speaker-old option")).to_have_text(["person 1 (mamma)"])
        page.locator("#pull-target").select_option("bbic_stabilitet")
        page.locator("#seg-5 button.pull").click()  # said by 'person 1'
        pulled = page.locator("li.jline", has_text="ses igen om två veckor")
        expect(pulled.locator(".jspeaker")).to_have_text("mamma:")
        page.locator("#pull-target").select_option("bbic_familjens_bakgrund")
        page.locator("#seg-1 button.pull").click()  # hers, the label revised by the device
        expect(revised.locator(".jspeaker")).to_have_text("mamma (ändrad av enheten):")
        expect(page.locator(".jspeaker", has_text="person 1")).to_have_count(0)
        expect(page.locator("#transcript-body", has_text="person 1")).to_have_count(0)
        approve_open(page)
        quote = 'mamma (ändrad av enheten): "Mamma berättar att pappa dricker mycket'
        expect(page.locator("#approved-text")).to_contain_text(quote)
        expect(page.locator("#approved-text")).to_contain_text('mamma: "Vi bestämmer att vi ses')
        exported = exported_text(page, tmp_path, "speakers.txt")
        assert quote in exported and "person 1" not in exported
        pdf = exported_pdf_text(page, tmp_path, "speakers.pdf")
        assert quote in pdf and "person 1" not in pdf
        attached = exported_text(page, tmp_path, "bilaga.txt", "#export-txt-attachment")
        assert "mamma (ändrad av enheten): Mamma berättar att pappa dricker" in attached
        assert "person 1" not in attached
        page.goto(f"/utkast/{draft_id}/versioner?fran=0&till=0")  # the signed original
        expect(page.locator("pre.entry")).to_contain_text(
            'person 1 (ändrad av enheten): "Mamma berättar att pappa dricker'
        )
