"""Edustandaard's official OV business rules, run by Saxon over real and broken dossiers."""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from pathlib import Path

import pytest
from lxml import etree

from elk_adapters.oso.dossiers import official_rules
from elk_adapters.oso.dossiers.official_rule_codes import rule_codes
from elk_adapters.oso.dossiers.official_rules import (
    MAIN_STYLESHEET,
    RULES_VERSION,
    check,
    stylesheet_folder,
)
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_domain.oso.dossiers.dossier import RuleMessage

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oso"
SAMPLES = sorted(FIXTURES.glob("Voorbeelddossier_OV_*.xml"))
BB_FULL = (FIXTURES / "Voorbeelddossier_OV_BB_full.xml").read_bytes()
POVO_FULL = (FIXTURES / "Voorbeelddossier_OV_POVO_full.xml").read_bytes()
NO_CATEGORIES = RuleMessage(
    rule="OVb.MD03",
    severity="Fout",
    location="/dossier[1]/metadata[1]",
    text='Een binnen-brin dossier moet het blok "Categorie uitlevering" bevatten.',
)


def _without(data: bytes, element: str) -> bytes:
    return re.sub(rb"<%s>.*?</%s>" % (element.encode(), element.encode()), b"", data, flags=re.S)


def _rules(data: bytes) -> tuple[RuleMessage, ...]:
    return check(parse_untrusted(data))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_public_sample_passes_the_official_rules(path: Path) -> None:
    assert _rules(path.read_bytes()) == ()


def test_a_binnen_brin_dossier_without_categories_gets_the_official_message() -> None:
    assert _rules(_without(BB_FULL, "categorie_uitlevering")) == (NO_CATEGORIES,)


def test_messages_name_the_rule_the_place_and_the_official_text() -> None:
    broken = _without(POVO_FULL, "leerlingid").replace(
        b"<cat_vve>VERBODEN</cat_vve>", b"<cat_vve>NEE</cat_vve>"
    )
    code_list, pupil_id = _rules(broken)
    assert code_list == RuleMessage(
        rule="",  # the code-list checks carry no business rule code
        severity="Fout",
        location="/dossier[1]/metadata[1]/categorie_uitlevering[1]/cat_vve[1]",
        text="Het veld 'Categorie VVE' (cat_vve) binnen metadata bevat een waarde die niet "
        "voorkomt in codelijst 48.",
    )
    assert pupil_id.rule == "OVa.LL13"
    assert pupil_id.location == "/dossier[1]/huidigeschool[1]/leerling[1]"
    assert pupil_id.text.startswith("De code van de leerling in de schooladministratie")


def test_rules_version_is_the_validatieversie_the_stylesheet_requires() -> None:
    main = (stylesheet_folder() / MAIN_STYLESHEET).read_text(encoding="utf-8")
    assert re.findall(r"od:validatieversie='([^']+)'", main) == [RULES_VERSION]


def test_another_validatieversie_is_named_by_the_rules() -> None:
    older = BB_FULL.replace(b"<validatieversie>2019.1.1<", b"<validatieversie>2018.1.1<")
    (message,) = _rules(older)
    assert message.rule == "OVa.MD02/OVb.MD02"
    assert "validatieversie is niet correct" in message.text


def test_categories_withheld_must_really_be_left_out() -> None:
    withheld = BB_FULL.replace(
        b"<cat_verzuim>OPTIONEEL</cat_verzuim>", b"<cat_verzuim>OPT-UIT</cat_verzuim>"
    )
    assert b"<verzuim>" in withheld
    (message,) = _rules(withheld)
    # The category checks run on the document node, which the rules' path shows as "/[1]".
    assert (message.rule, message.location) == ("OS.cat10", "/[1]")
    assert "wanneer deze categorie is uitgezet" in message.text


@functools.cache
def _codes() -> dict[str, str]:
    main = stylesheet_folder() / MAIN_STYLESHEET
    return dict(rule_codes([main, *(main.parent / "include").glob("*.xsl")]))


class TestRuleCodes:
    def test_a_rule_of_both_profiles_has_both_codes(self) -> None:
        assert _codes()[
            "De validatieversie is niet correct voor deze versie van de validatie XSLT."
        ] == ("OVa.MD02/OVb.MD02")

    def test_a_commented_out_rule_lends_no_code(self) -> None:
        # OVa.TR01 is commented out just before OVa.OV01.
        text = (
            "Minimaal één verzorger is verplicht in een overstapdossier als de verzorgers "
            "aansprakelijk zijn."
        )
        assert _codes()[text] == "OVa.OV01"

    def test_placeholders_and_code_lists_get_no_code(self) -> None:
        assert (
            "De geboorteplaats van de leerling is verboden in een overstapdossier, dus ook "
            "voor overdracht-binnen-brin." not in _codes()
        )  # "OVb.LL??"
        assert not any("codelijst" in text for text in _codes())
        assert all("?" not in code for code in _codes().values())


def test_the_shipped_stylesheets_are_the_copies_sources_md_names() -> None:
    folder = stylesheet_folder()
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for name in (
        "OV/ValideerOverstapprofielen.xsl",
        "OV/include/ValideerOSOgegevensset_2019.1.xsl",
    ):
        data = (folder / name).read_bytes()
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id)
        assert f"| `{name}` |" in sources
        assert blob in sources, f"{name} differs from the copy SOURCES.md names"


class TestDocumentsLeftOut:
    """Saxon gets the dossier without the documents' base64: that must change no verdict."""

    def test_no_rule_reads_a_documents_content(self) -> None:
        for path in stylesheet_folder().rglob("*.xsl"):
            assert "bestandsinhoud" not in path.read_text(encoding="utf-8"), path.name

    @pytest.mark.parametrize(
        "data",
        [
            BB_FULL,
            _without(BB_FULL, "categorie_uitlevering"),
            _without(POVO_FULL, "leerlingid").replace(b"<inzage>true<", b"<inzage>false<"),
            # the same dossier with a prefix on every element
            re.sub(rb"<(/?)(?=[a-z])", rb"<\1od:", BB_FULL).replace(b"xmlns=", b"xmlns:od="),
        ],
        ids=["full", "no-categories", "povo-broken", "prefixed"],
    )
    def test_the_verdict_is_the_one_on_the_whole_dossier(self, data: bytes) -> None:
        root = parse_untrusted(data)
        rules = official_rules.compiled()
        whole = rules.processor.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
        output = rules.executable.clone().transform_to_string(xdm_node=whole)
        assert check(root) == official_rules.read_messages(output, rules.codes)


def test_threads_checking_at_once_each_get_their_own_messages() -> None:
    # A compiled stylesheet (PyXsltExecutable) is not thread-safe: each thread runs a clone.
    valid, broken = BB_FULL, _without(BB_FULL, "categorie_uitlevering")
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def work(index: int) -> None:
        start.wait()
        for round_ in range(8):
            wrong = (index + round_) % 2
            got = _rules(broken if wrong else valid)
            outcomes.append("ok" if got == ((NO_CATEGORIES,) if wrong else ()) else repr(got))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * 48


def test_rules_that_cannot_run_say_so_instead_of_passing(monkeypatch: pytest.MonkeyPatch) -> None:
    from saxonche import PySaxonApiError

    class Failing:
        def transform_to_string(self, **_: object) -> str:
            raise PySaxonApiError("XPTY0004 gesimuleerde fout\nmeer regels")

    monkeypatch.setattr(official_rules, "_executable", Failing)
    (message,) = _rules(BB_FULL)
    assert message.text == (
        "ELK kon de officiële OSO-regels niet op dit dossier toepassen "
        "(XPTY0004 gesimuleerde fout)."
    )
