"""The catalogue's vocabulary as decoder hints (measured, off by default; docs/device.md)."""

from __future__ import annotations

from device.stages.transcribe import TranscribeOptions, _decode_kwargs
from device.stages.vocabulary import FUNCTION_WORDS, cue_words, example_sentences, hotwords
from risk_factors.catalogue import load_catalogue
from risk_factors.schema import Catalogue


def one_factor(applies_to: str, match: str) -> Catalogue:
    """The packaged catalogue with its factors replaced by one with cue `match`."""
    catalogue = load_catalogue()
    factor = catalogue.factors[0].model_copy(
        update={
            "applies_to": applies_to,
            "cues": [catalogue.factors[0].cues[0].model_copy(update={"match": match})],
        }
    )
    return catalogue.model_copy(update={"factors": [factor]})


class TestCueWords:
    def test_words_of_the_cues_without_syntax_or_function_words(self) -> None:
        """Cue words come without '*', '=', '+' and '|', in lower case, function words and
        words under four letters left out."""
        catalogue = one_factor("barn", "Skolk* + inte|=skolan + har|gått till")
        assert cue_words(catalogue, "barn") == ["gått", "skolan", "skolk"]

    def test_only_the_case_types_factors(self) -> None:
        """A factor for vuxen cases gives no words in a barn case."""
        assert cue_words(one_factor("vuxen", "kronofogden"), "barn") == []
        assert cue_words(one_factor("alla", "kronofogden"), "barn") == ["kronofogden"]

    def test_the_packaged_catalogues_hints_are_topic_words(self) -> None:
        """The packaged catalogue's hints for both case types hold no function word and fit in
        faster-whisper's prompt (at most 40 words)."""
        catalogue = load_catalogue()
        for case_type in ("barn", "vuxen"):
            words = hotwords(catalogue, case_type).split()
            assert 0 < len(words) <= 40
            assert not set(words) & FUNCTION_WORDS
            assert len(example_sentences(catalogue, case_type)) <= 500


class TestBiasingIsOff:
    def test_no_hotwords_unless_asked(self) -> None:
        """`fredag draft` and the live loop decode without hotwords (biasing was measured to
        invent cue words and run turns together)."""
        assert _decode_kwargs(TranscribeOptions(word_timestamps=True))["hotwords"] is None
        kwargs = _decode_kwargs(TranscribeOptions(hotwords="skolan"))
        assert kwargs["hotwords"] == "skolan"
