"""The catalogue: schema, the slug contract, validation errors, hash and export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fredag.errors import CatalogueError
from risk_factors.catalogue import (
    catalogue_sha256,
    export_csv,
    export_json,
    load_catalogue,
    validate_catalogue,
)
from risk_factors.slugs import CONTRACT, SLUGS
from risk_factors.tagger import Tagger

from .conftest import SHARED


def _factor(data: dict[str, Any], slug: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in data["factors"] if f["slug"] == slug)
    return found


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as info:
        validate_catalogue(data)
    return str(info.value)


class TestPackagedCatalogue:
    def test_has_exactly_the_contract_slugs(self) -> None:
        """The packaged catalogue holds every contract slug once and nothing else."""
        slugs = [f.slug for f in load_catalogue().factors]
        assert len(slugs) == len(set(slugs)) == 59
        assert set(slugs) == SLUGS

    def test_contract_values_match_factor_spec(self) -> None:
        """Kind, level and applies_to of every factor equal the contract's values."""
        for f in load_catalogue().factors:
            assert (f.kind, f.level, f.applies_to) == tuple(CONTRACT[f.slug])

    @pytest.mark.skipif(not (SHARED / "factor-spec.csv").exists(), reason="../shared is not here")
    def test_frozen_contract_equals_shared_factor_spec(self) -> None:
        """The slug list frozen in the package equals ../shared/factor-spec.csv."""
        rows = list(csv.DictReader((SHARED / "factor-spec.csv").open(encoding="utf-8")))
        assert {r["slug"]: (r["kind"], r["level"], r["applies_to"]) for r in rows} == {
            k: tuple(v) for k, v in CONTRACT.items()
        }

    def test_every_factor_cites_defined_sources_and_has_examples(self) -> None:
        """Each factor cites at least one source defined in the catalogue and has examples."""
        cat = load_catalogue()
        for f in cat.factors:
            assert f.sources and all(code in cat.sources for code in f.sources)
            assert f.examples.positive and f.examples.negative
            assert f.description and f.name.sv and f.name.en

    def test_hash_is_stable_and_follows_content(self, raw_catalogue: dict[str, Any]) -> None:
        """The sha256 is the same for the same content and changes when any text changes."""
        first = catalogue_sha256(validate_catalogue(raw_catalogue))
        assert first == catalogue_sha256(load_catalogue())
        _factor(raw_catalogue, "truancy")["description"] = "Barnet är ofta borta från skolan."
        assert catalogue_sha256(validate_catalogue(raw_catalogue)) != first


class TestValidationErrors:
    def test_renamed_contract_slug_is_refused(self, raw_catalogue: dict[str, Any]) -> None:
        """Renaming a contract slug is refused, naming the missing slug and how to retire it."""
        _factor(raw_catalogue, "truancy")["slug"] = "skolk"
        msg = _error(raw_catalogue)
        assert "'truancy'" in msg and "missing" in msg and "retired" in msg

    def test_new_factor_is_accepted(self, raw_catalogue: dict[str, Any]) -> None:
        """An admin's new factor with a new, well-formed slug validates beside the contract."""
        new = dict(_factor(raw_catalogue, "truancy"))
        new.update(
            slug="gang_affiliation", name={"sv": "Gängtillhörighet", "en": "Gang affiliation"}
        )
        new["cues"] = [{"match": "gäng*|gänget"}]
        raw_catalogue["factors"].append(new)
        cat = validate_catalogue(raw_catalogue)
        assert len(cat.factors) == 60
        tags = Tagger.from_catalogue(cat).tag_text("Han hänger med gänget varje kväll.", "barn")
        assert "gang_affiliation" in {t.factor for t in tags.tags}

    def test_new_slug_must_be_well_formed(self, raw_catalogue: dict[str, Any]) -> None:
        """A new slug that breaks the slug pattern is refused, naming the field."""
        new = dict(_factor(raw_catalogue, "truancy"), slug="Gäng-tillhörighet")
        raw_catalogue["factors"].append(new)
        assert "field 'slug'" in _error(raw_catalogue)

    def test_retired_factor_stays_but_is_never_tagged(self, raw_catalogue: dict[str, Any]) -> None:
        """A retired contract factor validates, stays in the catalogue, and is not tagged."""
        text = "Hon har skolkat nästan varje fredag den här terminen."
        assert "truancy" in {
            t.factor for t in Tagger.from_catalogue(load_catalogue()).tag_text(text, "barn").tags
        }
        _factor(raw_catalogue, "truancy")["retired"] = True
        cat = validate_catalogue(raw_catalogue)
        assert "truancy" in {f.slug for f in cat.factors}
        assert "truancy" not in {
            t.factor for t in Tagger.from_catalogue(cat).tag_text(text, "barn").tags
        }

    def test_duplicate_slug_is_named(self, raw_catalogue: dict[str, Any]) -> None:
        """A factor listed twice is rejected as a duplicate."""
        raw_catalogue["factors"].append(dict(_factor(raw_catalogue, "neglect")))
        assert "factor 'neglect', field 'slug': duplicate" in _error(raw_catalogue)

    def test_contract_kind_change_is_rejected(self, raw_catalogue: dict[str, Any]) -> None:
        """Changing a factor's kind away from the contract is an error naming field 'kind'."""
        _factor(raw_catalogue, "sobriety")["kind"] = "risk"
        assert "factor 'sobriety', field 'kind'" in _error(raw_catalogue)

    def test_missing_sources_field(self, raw_catalogue: dict[str, Any]) -> None:
        """A factor without a sources field is rejected, naming factor and field."""
        del _factor(raw_catalogue, "truancy")["sources"]
        assert "factor 'truancy', field 'sources'" in _error(raw_catalogue)

    def test_empty_sources(self, raw_catalogue: dict[str, Any]) -> None:
        """A factor citing no source is rejected."""
        _factor(raw_catalogue, "truancy")["sources"] = []
        assert "factor 'truancy', field 'sources': no source cited" in _error(raw_catalogue)

    def test_undefined_source_code(self, raw_catalogue: dict[str, Any]) -> None:
        """A source code the catalogue does not define is rejected."""
        _factor(raw_catalogue, "truancy")["sources"] = ["NB", "XYZ"]
        assert "'XYZ' is not defined" in _error(raw_catalogue)

    @pytest.mark.parametrize(
        "cue", ["dricka + ", "dricka||full", "dr!cka", "=full*", "re:(unclosed", "re:a*"]
    )
    def test_cue_that_does_not_compile(self, raw_catalogue: dict[str, Any], cue: str) -> None:
        """A cue with bad syntax or a broken regular expression names factor and cue index."""
        _factor(raw_catalogue, "alcohol_problem")["cues"].append({"match": cue})
        msg = _error(raw_catalogue)
        assert "factor 'alcohol_problem', field 'cues[" in msg and "cannot compile" in msg

    @pytest.mark.parametrize(
        ("cue", "twice"),
        [
            ({"match": "hantera + ilska|ilskan|Ilska"}, "'ilska' is written twice in one group"),
            ({"match": "prata + om  allt|allt|om allt"}, "'om allt' is written twice"),
            ({"match": "dricka", "unless": "kaffe|mjölk|mjölk"}, "of 'unless'"),
        ],
    )
    def test_alternative_written_twice_is_rejected(
        self, raw_catalogue: dict[str, Any], cue: dict[str, str], twice: str
    ) -> None:
        """An alternative written twice in one group of a cue (any case or spacing) is
        rejected, naming factor, cue and the words; the same word in two groups is not."""
        _factor(raw_catalogue, "alcohol_problem")["cues"].append(cue)
        msg = _error(raw_catalogue)
        assert "factor 'alcohol_problem', field 'cues[" in msg and twice in msg
        _factor(raw_catalogue, "alcohol_problem")["cues"][-1] = {"match": "dricka + dricka|öl"}
        validate_catalogue(raw_catalogue)

    @pytest.mark.parametrize(
        ("field", "text"),
        [
            ("description", "Placering rekommenderas när föräldern dricker."),
            ("description", "Barnet bör placeras i familjehem."),
            ("description", "Insats: familjebehandling."),
            ("description", "Risken bedöms som hög."),
        ],
    )
    def test_prescribing_text_is_rejected(
        self, raw_catalogue: dict[str, Any], field: str, text: str
    ) -> None:
        """Text proposing an intervention or assessment is rejected with factor and field."""
        _factor(raw_catalogue, "parental_substance_abuse")[field] = text
        msg = _error(raw_catalogue)
        assert "factor 'parental_substance_abuse', field 'description'" in msg
        assert "never prescribes" in msg

    def test_prescribing_example_is_rejected(self, raw_catalogue: dict[str, Any]) -> None:
        """Examples are catalogue text too and may not prescribe."""
        _factor(raw_catalogue, "neglect")["examples"]["positive"].append("Vi föreslår LVU.")
        assert "field 'examples.positive[2]'" in _error(raw_catalogue)

    def test_unknown_field_is_rejected(self, raw_catalogue: dict[str, Any]) -> None:
        """A misspelt field is an error rather than silently ignored."""
        _factor(raw_catalogue, "neglect")["descripton"] = "x"
        assert "factor 'neglect', field 'descripton'" in _error(raw_catalogue)

    def test_not_a_mapping(self) -> None:
        """A file that is not a mapping gives a plain CatalogueError."""
        with pytest.raises(CatalogueError):
            validate_catalogue(["a", "list"])

    def test_missing_file_and_bad_yaml(self, tmp_path: Path) -> None:
        """A missing file and a file that is not YAML give CatalogueError, not a traceback."""
        with pytest.raises(CatalogueError, match="no catalogue file"):
            load_catalogue(tmp_path / "nope.yaml")
        bad = tmp_path / "bad.yaml"
        bad.write_text("factors: [\n", encoding="utf-8")
        with pytest.raises(CatalogueError, match="not valid YAML"):
            load_catalogue(bad)

    def test_valid_edited_file_loads(self, raw_catalogue: dict[str, Any], tmp_path: Path) -> None:
        """An edited but valid catalogue file loads with its own version."""
        raw_catalogue["version"] = "test-2"
        path = tmp_path / "cat.yaml"
        path.write_text(yaml.safe_dump(raw_catalogue, allow_unicode=True), encoding="utf-8")
        assert load_catalogue(path).version == "test-2"


class TestLifeAreas:
    def test_every_factor_has_an_area_per_case_type(self) -> None:
        """Each factor names a defined area of the right case type for every case type it
        applies to: BBIC areas in barn cases, ASI's areas (with boende, våld) in vuxen cases."""
        catalogue = load_catalogue()
        for factor in catalogue.factors:
            types = ("barn", "vuxen") if factor.applies_to == "alla" else (factor.applies_to,)
            for case_type in types:
                area = catalogue.area_of(factor.slug, case_type)  # type: ignore[arg-type]
                assert area is not None and area.case_type == case_type, factor.slug
        vuxen = {a.name.sv for a in catalogue.areas if a.case_type == "vuxen"}
        assert {"Alkohol", "Narkotika", "Kriminalitet", "Psykisk hälsa", "Boende"} <= vuxen
        assert all(a.sources for a in catalogue.areas)

    def test_missing_area_is_named(self, raw_catalogue: dict[str, Any]) -> None:
        """A factor without an area for a case type it applies to is refused, by field."""
        factor = _factor(raw_catalogue, "family_conflict")
        factor["area"] = {"barn": factor["area"]["barn"]}
        assert "'family_conflict', field 'area.vuxen'" in _error(raw_catalogue)

    def test_area_of_the_other_case_type_is_refused(self, raw_catalogue: dict[str, Any]) -> None:
        """A barn factor placed in a vuxen area, or an undefined area, is refused."""
        _factor(raw_catalogue, "neglect")["area"] = {"barn": "asi_alkohol"}
        _factor(raw_catalogue, "truancy")["area"] = {"barn": "no_such_area"}
        message = _error(raw_catalogue)
        assert "'asi_alkohol' is an area of vuxen cases" in message
        assert "'no_such_area' is not one of the catalogue's areas" in message

    def test_area_citing_an_undefined_source_is_refused(
        self, raw_catalogue: dict[str, Any]
    ) -> None:
        """Every area cites sources defined in the catalogue."""
        raw_catalogue["areas"][0]["sources"] = ["NOPE"]
        assert "field 'sources': 'NOPE'" in _error(raw_catalogue)


class TestExport:
    def test_json_export_has_hash_and_citations(self) -> None:
        """The JSON export carries the sha256 and each factor's expanded citations."""
        cat = load_catalogue()
        data = json.loads(export_json(cat))
        assert data["sha256"] == catalogue_sha256(cat)
        neglect = next(f for f in data["factors"] if f["slug"] == "neglect")
        assert neglect["citations"][0].startswith("Socialstyrelsen (2018). Grundbok i BBIC")

    def test_csv_export_has_one_row_per_factor(self) -> None:
        """The CSV export has a header and 59 rows with the spec's columns first."""
        rows = list(csv.DictReader(io.StringIO(export_csv(load_catalogue()))))
        assert len(rows) == 59
        assert {r["slug"] for r in rows} == SLUGS
        assert rows[0]["name_sv"] and rows[0]["citations"]
