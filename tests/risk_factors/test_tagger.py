"""The tagger: findings with evidence, negation, questions, resolved, case type, segments."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from fredag.errors import UsageError
from fredag.protocol import Evidence
from risk_factors.slugs import SLUGS
from risk_factors.tagger import Tagger
from risk_factors.text import grade

from .conftest import DATA
from .support import denied as _denied
from .support import heard_segments


def _factors(tagger: Tagger, text: str, case_type: str = "barn") -> set[str]:
    return tagger.tag_text(text, case_type).factors()


class TestFindings:
    @pytest.mark.parametrize(
        ("text", "case_type", "slug"),
        [
            ("Pappa drack varje kväll hela förra veckan.", "barn", "parental_substance_abuse"),
            ("Hon har skolkat nästan varje måndag.", "barn", "truancy"),
            ("Vi har fått ett brev från kronofogden om skulderna.", "vuxen", "economic_hardship"),
            ("Han har hotat att döda mig.", "vuxen", "threats_weapons"),
            ("Hon har ett alkoholmissbruk sedan flera år.", "vuxen", "alcohol_problem"),
            ("Mormor hämtar honom på fritids varje dag.", "barn", "supportive_network"),
        ],
    )
    def test_inflections_and_compounds(
        self, tagger: Tagger, text: str, case_type: str, slug: str
    ) -> None:
        """Inflected verbs (drack), compounds (alkoholmissbruk) and plural nouns are found."""
        assert slug in _factors(tagger, text, case_type)

    def test_neutral_sentence_gives_nothing(self, tagger: Tagger) -> None:
        """Small talk gives no tag and no denial."""
        result = tagger.tag_text("Vi ses igen om två veckor, då tar vi en fika.", "barn")
        assert result.tags == () and result.denied == ()

    def test_meeting_small_talk_gives_no_tags(self, tagger: Tagger) -> None:
        """Everyday meeting talk (data/neutral.txt, with near-miss words) is never tagged."""
        lines = (DATA / "neutral.txt").read_text(encoding="utf-8").splitlines()
        for line in lines:
            for case_type in ("barn", "vuxen"):
                assert tagger.tag_text(line, case_type).tags == (), (line, case_type)

    def test_every_positive_catalogue_example_is_found(self, tagger: Tagger) -> None:
        """Each factor's positive examples are tagged with that factor."""
        for f in tagger.catalogue.factors:
            case_types = ["barn", "vuxen"] if f.applies_to == "alla" else [f.applies_to]
            for example in f.examples.positive:
                assert any(f.slug in _factors(tagger, example, c) for c in case_types), example

    def test_no_negative_catalogue_example_is_tagged(self, tagger: Tagger) -> None:
        """Each factor's negative examples are never tagged with that factor."""
        for f in tagger.catalogue.factors:
            case_types = ["barn", "vuxen"] if f.applies_to == "alla" else [f.applies_to]
            for example in f.examples.negative:
                for c in case_types:
                    assert f.slug not in _factors(tagger, example, c), (example, c)


class TestNegation:
    @pytest.mark.parametrize(
        ("text", "case_type", "slug"),
        [
            ("Pappa dricker inte.", "barn", "parental_substance_abuse"),
            ("Pappa har aldrig druckit alkohol.", "barn", "parental_substance_abuse"),
            ("Det har inte förekommit något våld mellan föräldrarna.", "barn", "child_exposed_ipv"),
            ("Han har inte hotat mig.", "vuxen", "threats_weapons"),
            ("Jag tar inga droger.", "vuxen", "drug_problem"),
            ("Ingen har slagit henne hemma.", "barn", "child_maltreatment"),
        ],
    )
    def test_denied_is_reported_separately(
        self, tagger: Tagger, text: str, case_type: str, slug: str
    ) -> None:
        """A denied factor is never a tag but is listed in denied as negated."""
        result = tagger.tag_text(text, case_type)
        assert slug not in result.factors()
        assert slug in _denied(result)
        assert all(d.reason == "negated" for d in result.denied if d.factor == slug)

    def test_negation_scope_ends_at_clause(self, tagger: Tagger) -> None:
        """A negation in one clause does not cancel a finding in the next one."""
        result = tagger.tag_text("Mamma dricker inte, men pappa dricker varje kväll.", "barn")
        assert "parental_substance_abuse" in result.factors()

    def test_negation_inside_a_cue_is_part_of_it(self, tagger: Tagger) -> None:
        """ "Pengarna räcker inte" is a finding, not a denial: the cue owns its negation."""
        assert "economic_hardship" in _factors(tagger, "Pengarna räcker inte till mat.", "vuxen")

    def test_not_longer_is_resolved(self, tagger: Tagger) -> None:
        """ "Inte längre" marks the factor as over: a denial with reason resolved."""
        result = tagger.tag_text("Hon skolkar inte längre.", "barn")
        assert "truancy" not in result.factors()
        assert [d.reason for d in result.denied if d.factor == "truancy"] == ["resolved"]

    def test_past_and_now_contrast(self, tagger: Tagger) -> None:
        """ "... förut men nu ..." makes the earlier part resolved, not present."""
        text = "Han skolkade mycket förut men nu går han till skolan varje dag."
        assert "truancy" not in _factors(tagger, text)

    def test_stopped_drinking_is_sobriety_not_alcohol(self, tagger: Tagger) -> None:
        """Having stopped drinking long ago is sobriety, never an alcohol problem."""
        found = _factors(tagger, "Jag slutade dricka för tre år sedan.", "vuxen")
        assert "sobriety" in found and "alcohol_problem" not in found

    def test_past_victimisation_still_counts(self, tagger: Tagger) -> None:
        """Factors about the past (prior victimisation) are not dropped as resolved."""
        found = _factors(tagger, "Jag blev misshandlad av min pappa när jag var liten.", "vuxen")
        assert "prior_victimisation" in found

    def test_uncertainty_is_neither_tag_nor_denial(self, tagger: Tagger) -> None:
        """ "Jag vet inte om han har vapen" is neither a finding nor a denial."""
        result = tagger.tag_text("Jag vet inte om han har vapen.", "vuxen")
        assert result.tags == () and "threats_weapons" not in _denied(result)


class TestQuestions:
    @pytest.mark.parametrize(
        ("text", "case_type"),
        [
            ("Dricker ni?", "vuxen"),
            ("Tar pappa droger?", "barn"),
            ("Har du blivit slagen hemma", "barn"),
            ("Hur mycket dricker du en vanlig vecka", "vuxen"),
            ("Och dricker du alkohol varje dag", "vuxen"),
            ("Finns det vapen i hemmet?", "vuxen"),
            ("Berätta hur det har varit hemma den senaste tiden.", "barn"),
            ("Kan du berätta om hur mycket du dricker", "vuxen"),
            ("Beskriv hur det är i skolan just nu.", "barn"),
            ("Han det förekommit något våld hemma.", "barn"),
            ("Kam du dricker mycket", "vuxen"),
        ],
    )
    def test_questions_give_nothing(self, tagger: Tagger, text: str, case_type: str) -> None:
        """A question, with or without a question mark, is neither a tag nor a denial."""
        result = tagger.tag_text(text, case_type)
        assert result.tags == () and result.denied == ()

    def test_misheard_question_then_denial_is_a_denial(self, tagger: Tagger) -> None:
        """A question whose verb ASR misheard, then a denial: denied (the answer among its
        evidence), never a present factor."""
        text = "Han det förekommit nobåt våld hemma. Nej, det har inte förekommit nobåt våld."
        result = tagger.tag_text(text, "barn")
        assert result.tags == ()
        assert result.denied and any(d.start > text.index(".") for d in result.denied)

    @pytest.mark.parametrize(
        "text",
        ["Han dricker varje dag.", "Hon slår honom ibland.", "Han har skolkat hela veckan."],
    )
    def test_statements_opening_with_a_pronoun_stay_statements(
        self, tagger: Tagger, text: str
    ) -> None:
        """A statement that opens 'Han …'/'Hon …' is not mistaken for a misheard question."""
        assert tagger.tag_text(text, "barn").tags

    def test_rule_stated_after_request_is_tagged(self, tagger: Tagger) -> None:
        """After a request to tell, the parent's stated rule is tagged; 'senast' is exact."""
        text = "Berätta om reglerna hemma. Han måste vara hemma senast klockan nio."
        tags = tagger.tag_text(text, "barn").tags
        assert [t.factor for t in tags] == ["parental_monitoring"]
        assert tags[0].start > text.index(".")

    def test_answer_after_question_is_tagged(self, tagger: Tagger) -> None:
        """In a transcript the question gives nothing but the answer is tagged."""
        text = "Dricker pappa? Ja, pappa dricker varje kväll."
        tags = tagger.tag_text(text, "barn").tags
        assert [t.factor for t in tags] == ["parental_substance_abuse"]
        assert tags[0].start > text.index("?")


class TestCaseType:
    def test_parent_drinking_depends_on_case_type(self, tagger: Tagger) -> None:
        """ "Pappa dricker" is parental substance abuse in a barn case; in a vuxen case it is
        another person's drinking, not the client's alcohol problem ("jag dricker" is)."""
        assert _factors(tagger, "Pappa dricker varje kväll.", "barn") == {
            "parental_substance_abuse"
        }
        assert _factors(tagger, "Pappa dricker varje kväll.", "vuxen") == set()
        assert _factors(tagger, "Jag dricker varje kväll.", "vuxen") == {"alcohol_problem"}

    def test_own_drinking_in_a_child_case_is_early_use(self, tagger: Tagger) -> None:
        """A child's own drinking is early substance use, never a parent's problem."""
        found = _factors(tagger, "Han dricker sig full varje helg, han är fjorton.", "barn")
        assert found == {"early_substance_use"}

    def test_speaker_i_in_a_child_case_is_not_the_child(self, tagger: Tagger) -> None:
        """In a barn case "jag" is often the parent, so "jag dricker" is not the child's use."""
        assert "early_substance_use" not in _factors(tagger, "Jag dricker varje helg.", "barn")

    def test_child_only_factor_is_not_tagged_in_adult_case(self, tagger: Tagger) -> None:
        """Factors that apply only to children are not tagged in a vuxen case."""
        assert "truancy" not in _factors(tagger, "Hon skolkar från skolan.", "vuxen")

    def test_unknown_case_type_is_a_usage_error(self, tagger: Tagger) -> None:
        """A case type other than barn or vuxen is refused."""
        with pytest.raises(UsageError):
            tagger.tag_text("Pappa dricker.", "familj")


class TestLongText:
    def test_run_on_transcript_without_full_stops(self, tagger: Tagger) -> None:
        """ASR text with no sentence ends is cut into pieces and still tagged throughout."""
        piece = "pappa dricker varje kväll och hon skolkar från skolan och vi pratade om vädret"
        text = " ".join([piece] * 300)
        result = tagger.tag_text(text, "barn")
        assert {"parental_substance_abuse", "truancy"} <= result.factors()
        truancy = [t.start for t in result.tags if t.factor == "truancy"]
        assert len(truancy) >= 100 and max(truancy) > 0.95 * len(text)
        assert all(text[t.start : t.end] == t.quote for t in result.tags)

    def test_mother_hitting_the_child_is_maltreatment(self, tagger: Tagger) -> None:
        """A parent as the one who hits is maltreatment; a parent as the one hit is not."""
        assert "child_maltreatment" in _factors(tagger, "Mamma slår honom när hon blir arg.")
        found = _factors(tagger, "Pappa slår mamma på nätterna.")
        assert "child_maltreatment" not in found and "child_exposed_ipv" in found


class TestAsr:
    def test_small_misspelling_is_matched_with_lower_confidence(self, tagger: Tagger) -> None:
        """A Whisper slip ("Ricker" for "dricker") is still found, with lower confidence."""
        clean = tagger.tag_text("Hans mamma dricker varje dag.", "barn").tags
        heard = tagger.tag_text("Hans mamma Ricker varje dag.", "barn").tags
        assert [t.factor for t in heard] == ["parental_substance_abuse"]
        assert heard[0].confidence < clean[0].confidence

    def test_a_heard_alike_word_alone_is_not_enough(self, tagger: Tagger) -> None:
        """A cue matched only by a fuzzy word (no exact word beside it) gives no tag."""
        assert tagger.tag_text("Hon heter Anna.", "barn").tags == ()
        assert tagger.tag_text("Skålkar.", "barn").tags == ()

    def test_fuzzy_match_never_makes_a_denial(self, tagger: Tagger) -> None:
        """A denial needs the real words: a fuzzy match is not enough to report one."""
        result = tagger.tag_text("Hans mamma Ricker inte.", "barn")
        assert result.tags == () and result.denied == ()


class TestComparativeCueWords:
    """A cue word written as a comparative or superlative is matched only by that degree, so a
    cue about more or worse is not found in a sentence that says only often or bad."""

    @pytest.mark.parametrize(
        "text",
        [
            "Min mamma slog mig ofta när jag var liten.",
            "Min pappa slog oss ofta.",
            "Han slår hårt.",
        ],
    )
    def test_a_positive_word_is_no_escalation(self, tagger: Tagger, text: str) -> None:
        """'slår oftare' / 'slår hårdare' say the violence grows; 'slog mig ofta' does not."""
        assert "escalating_ipv" not in _factors(tagger, text, "vuxen")

    @pytest.mark.parametrize(
        "text",
        [
            "Han slår oftare nu.",
            "Det har blivit värre och värre.",
            "Sambon slår mig allt oftare.",
            "Han slår hårdare nu än förut.",
            "Han har blivit våldsammare.",
        ],
    )
    def test_the_comparative_still_is(self, tagger: Tagger, text: str) -> None:
        """The comparative itself still shows escalation."""
        assert "escalating_ipv" in _factors(tagger, text, "vuxen")

    def test_an_adults_childhood_is_no_partner_violence(self, tagger: Tagger) -> None:
        """Escalation told of the client's own childhood is their childhood victimisation, as
        for the cue 'slår … mig' beside it."""
        found = _factors(tagger, "Min pappa slog mig allt oftare när jag var liten.", "vuxen")
        assert found == {"prior_victimisation"}
        assert not _factors(tagger, "Det blev värre och värre när jag var barn.", "vuxen")

    def test_a_positive_cue_word_matches_every_degree(self, tagger: Tagger) -> None:
        """A cue word written plainly ('på länge', 'dålig') still matches its other degrees,
        and 'inte längre' is still 'no longer'."""
        assert "sobriety" in _factors(tagger, "Jag har inte druckit på länge.", "vuxen")
        assert "sobriety" in _factors(tagger, "Jag har inte druckit längre.", "vuxen")
        assert "social_isolation" in _factors(tagger, "Jag har inga vänner kvar längre.", "vuxen")

    def test_an_unsurely_heard_positive_is_alike(self, tagger: Tagger) -> None:
        """Through speech, the positive heard unsurely is alike the comparative (its ending is
        what the recogniser loses: "allt ofta det" for "allt oftare"); heard surely it is not."""
        text = "Han har slagit henne allt ofta det."
        unsure = tagger.tag_segments(heard_segments(text, unsure={"ofta": 0.6}), "vuxen")
        sure = tagger.tag_segments(heard_segments(text), "vuxen")
        assert "escalating_ipv" in unsure.factors()
        assert "escalating_ipv" not in sure.factors()

    @pytest.mark.parametrize(
        ("word", "degree"),
        [
            ("oftare", "komparativ"),
            ("våldsammare", "komparativ"),
            ("enklare", "komparativ"),
            ("värre", "komparativ"),
            ("mer", "komparativ"),
            ("oftast", "superlativ"),
            ("värst", "superlativ"),
            ("ofta", ""),
            ("polare", ""),
            ("lärare", ""),
            ("vore", ""),
            ("brast", ""),
            ("flera", ""),
        ],
    )
    def test_grade(self, word: str, degree: str) -> None:
        """A comparative or superlative is known by its ending on its own lemma, or as one of
        the irregular ones; nouns in -are ('polare', 'lärare') and verb forms are no degree."""
        assert grade(word) == degree


class TestEvidence:
    def test_quote_is_the_text_at_its_span(self, tagger: Tagger) -> None:
        """Every tag's and denial's quote equals text[start:end], with catalogue version."""
        text = (
            "Vi pratade om hemmet. Mamma dricker varje dag och pappa har aldrig slagit henne. "
            "Hon har skolkat mycket, men hon trivs i skolan nu."
        )
        result = tagger.tag_text(text, "barn")
        assert result.tags and result.denied
        for item in (*result.tags, *result.denied):
            assert text[item.start : item.end] == item.quote
            assert item.catalogue_version == tagger.version
            assert 0 < item.confidence <= 1

    def test_result_names_catalogue_version_and_hash(self, tagger: Tagger) -> None:
        """The result carries the catalogue version and sha256 it came from."""
        result = tagger.tag_text("Pappa dricker.", "barn")
        assert result.catalogue_version == tagger.catalogue.version
        assert len(result.catalogue_sha256) == 64


@dataclass(frozen=True)
class _Seg:
    start: float
    end: float
    text: str


class TestSegments:
    SEGMENTS = (
        _Seg(0.0, 2.5, "Hur har veckan varit?"),
        _Seg(2.5, 6.0, "Det har varit jobbigt, pappa"),
        _Seg(6.0, 9.0, "dricker varje kväll och vi har skulder."),
        _Seg(9.0, 12.0, "Men pappa har aldrig slagit mig."),
    )

    def test_tags_map_to_segment_index_span_and_times(self, tagger: Tagger) -> None:
        """Each tag names its segment, the span within that segment's text and its times."""
        result = tagger.tag_segments(self.SEGMENTS, "barn")
        by = {t.factor: t for t in result.tags}
        drink = by["parental_substance_abuse"]
        assert drink.segment == 1
        assert drink.quote == "pappa dricker"
        assert self.SEGMENTS[1].text[drink.char_start : drink.char_end] == "pappa"
        assert (drink.start_s, drink.end_s) == (2.5, 9.0)
        debt = by["economic_hardship"]
        assert debt.segment == 2 and (debt.start_s, debt.end_s) == (6.0, 9.0)
        assert self.SEGMENTS[2].text[debt.char_start : debt.char_end] == debt.quote == "skulder"

    def test_denials_carry_segment_evidence(self, tagger: Tagger) -> None:
        """Denials from segments carry segment index and times like tags."""
        result = tagger.tag_segments(self.SEGMENTS, "barn")
        denial = next(d for d in result.denied if d.factor == "child_maltreatment")
        assert denial.segment == 3 and denial.start_s == 9.0

    def test_evidence_fits_the_shared_protocol(self, tagger: Tagger) -> None:
        """A tag from segments fills fredag.protocol.Evidence without conversion errors."""
        tag = tagger.tag_segments(self.SEGMENTS, "barn").tags[0]
        ev = Evidence(
            quote=tag.quote,
            segment=tag.segment,
            char_start=tag.char_start,
            char_end=tag.char_end,
            start=tag.start_s,
            end=tag.end_s,
            confidence=tag.confidence,
            catalogue_version=tag.catalogue_version,
            model="whisper-base",
        )
        assert ev.char_end > ev.char_start

    def test_dict_segments_are_accepted(self, tagger: Tagger) -> None:
        """Segments may be plain dicts with start, end and text."""
        segs: list[dict[str, Any]] = [{"start": 0, "end": 1, "text": "Pappa dricker varje dag."}]
        assert tagger.tag_segments(segs, "barn").factors() == {"parental_substance_abuse"}

    def test_malformed_segment_is_a_usage_error(self, tagger: Tagger) -> None:
        """A segment without text is refused with a UsageError."""
        with pytest.raises(UsageError):
            tagger.tag_segments([{"start": 0, "end": 1}], "barn")


def _texts(name: str) -> set[str]:
    """The sentences of one of the own labelled sets."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["text"] for line in lines}


def _score(tagger: Tagger, path: str) -> tuple[float, int]:
    tp = fp = fn = 0
    for line in (DATA / path).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        got = tagger.tag_text(item["text"], item["case_type"]).factors()
        groups = [set(g) for g in item["expect"]]
        hit = sum(1 for g in groups if g & got)
        tp, fn = tp + hit, fn + len(groups) - hit
        fp += len(got - set().union(*groups, set(item["allow"])))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return (2 * p * r / (p + r) if p + r else 0.0), fp


class TestOwnLabelledSets:
    def test_heldout_set_f1(self, tagger: Tagger) -> None:
        """The held-back set (never tuned on) scores F1 >= 0.85."""
        f1, _fp = _score(tagger, "heldout.jsonl")
        assert f1 >= 0.85

    def test_tuning_set_f1(self, tagger: Tagger) -> None:
        """The tuning set scores F1 >= 0.90 (a guard against regressions while editing cues)."""
        f1, _fp = _score(tagger, "tuning.jsonl")
        assert f1 >= 0.90

    def test_sets_are_disjoint(self) -> None:
        """No sentence of the held-back set is in the tuning set."""
        assert not _texts("heldout.jsonl") & _texts("tuning.jsonl")

    def test_definitions_set_is_its_own(self) -> None:
        """definitions.jsonl shares no sentence with the others and states each factor 4 times."""
        lines = (DATA / "definitions.jsonl").read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines]
        others = _texts("tuning.jsonl") | _texts("heldout.jsonl")
        own = {item["text"] for item in items}
        assert not own & others
        assert not _texts("definitions-heldback.jsonl") & (others | own)
        stated = Counter(g[0] for item in items for g in item["expect"] if len(g) == 1)
        assert {slug for slug in SLUGS if stated[slug] < 4} == set()
