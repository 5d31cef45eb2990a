"""The Swedish Hunspell dictionary as a signal of what is a word (risk_factors/dictionary.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fredag.errors import ExtraMissing
from risk_factors import dictionary


class TestDictionary:
    def test_compounds_are_words_and_words_run_together_are_not(self) -> None:
        """Hunspell accepts a compound no word list holds ("leksakskniven") and rejects two
        words the recogniser ran together ("testatdroger")."""
        assert dictionary.is_dictionary_word("leksakskniven")
        assert not dictionary.is_dictionary_word("testatdroger")

    def test_a_missing_dictionary_is_a_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the dictionary files the lookup raises ExtraMissing naming hunspell-sv."""
        _without_dictionary(tmp_path, monkeypatch)
        dictionary.is_dictionary_word.cache_clear()
        try:
            with pytest.raises(ExtraMissing, match="hunspell-sv"):
                dictionary.is_dictionary_word("kniv")
        finally:
            dictionary.is_dictionary_word.cache_clear()


def _without_dictionary(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No dictionary files anywhere, and none loaded (put back after the test)."""
    monkeypatch.setattr(dictionary, "SEARCH", (folder,))
    monkeypatch.setenv("FREDAG_HUNSPELL_DIR", str(folder))
    monkeypatch.setattr(dictionary, "_loaded", None)


class TestWarmUp:
    def test_warm_up_loads_the_dictionary_on_a_thread(self) -> None:
        """After `warm_up`'s thread has ended the dictionary is in memory, and a lookup gives
        the same answer as without it."""
        dictionary.warm_up().join()
        assert dictionary.is_loaded()
        assert dictionary.is_dictionary_word("leksakskniven")

    def test_a_missing_dictionary_fails_when_warming_up(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`warm_up` raises ExtraMissing at once when the files are not installed, before
        any thread is started."""
        _without_dictionary(tmp_path, monkeypatch)
        with pytest.raises(ExtraMissing, match="hunspell-sv"):
            dictionary.warm_up()
        assert not dictionary.is_loaded()
