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
        monkeypatch.setattr(dictionary, "SEARCH", (tmp_path,))
        monkeypatch.setenv("FREDAG_HUNSPELL_DIR", str(tmp_path))
        dictionary._dictionary.cache_clear()
        dictionary.is_dictionary_word.cache_clear()
        try:
            with pytest.raises(ExtraMissing, match="hunspell-sv"):
                dictionary.is_dictionary_word("kniv")
        finally:
            dictionary._dictionary.cache_clear()
            dictionary.is_dictionary_word.cache_clear()
