"""The OSO dossier parser against the public samples, hostile input and generated dossiers."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import random
import re
import zipfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from elk_adapters.oso.dossiers import records as dossier_records
from elk_adapters.oso.dossiers.official_rules import stylesheet_folder
from elk_adapters.oso.dossiers.parser import check, parse_dossier, schema_violations
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_adapters.oso.simulator.dossier_data import (
    DossierData,
    FinalTestData,
    LvsTest,
    PersonData,
)
from elk_adapters.oso.simulator.generator import build_dossier_xml
from elk_adapters.oso.simulator.samples import REALISTIC, SMALL, DossierProfile, random_dossier
from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.oso.dossiers.dossier import CATEGORIES

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oso"
SAMPLES = sorted(FIXTURES.glob("Voorbeelddossier_OV_*.xml"))
FULL = FIXTURES / "Voorbeelddossier_OV_BB_full.xml"
LOC = SchoolLocation("12AB", "00")


def _simple(**changes: object) -> DossierData:
    data = DossierData(
        location=LOC,
        bsn="229854382",
        pupil=PersonData(first_name="Emma", last_name="Jansen"),
        birth_date=dt.date(2014, 5, 1),
        dossier_date=dt.date(2026, 1, 10),
    )
    return attrs.evolve(data, **changes)  # type: ignore[arg-type]


class TestPublicSamples:
    def test_there_are_eight_samples(self) -> None:
        assert len(SAMPLES) == 8

    @pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
    def test_every_sample_parses(self, path: Path) -> None:
        dossier = parse_dossier(path.read_bytes())
        assert dossier.sender == SchoolLocation("00YY", "00")
        assert dossier.gegevensset_version == "2019.1"
        assert dossier.fields[f.PUPIL_LAST_NAME]

    def test_full_sample_maps_pupil_parents_and_advice(self) -> None:
        d = parse_dossier(FULL.read_bytes())
        assert d.bsn == Bsn("229854382")
        assert d.fields["leerling.roepnaam"] == "Daan"
        assert d.fields[f.PUPIL_BIRTH_DATE] == dt.date(2003, 3, 17)
        assert d.fields["leerling.geslacht"] == "man"
        assert d.fields["leerling.postcode"] == "7331 GJ"  # the gba address wins
        assert d.fields["ouders.0.relatie"] == "vader"
        assert d.fields["ouders.0.email"] == "Berg@werk.nl"
        assert "ouders.1.email" not in d.fields  # the only address given is marked secret
        assert "ouders.3.voornaam" not in d.fields  # the two deceased carers are left out
        assert d.advice_code == "40"
        assert d.fields[f.FINAL_TEST_OUTCOME] == "vmbo-k/gl-tl"
        assert d.fields["ondersteuning.verzuim.ongeoorloofd"] == 2
        assert d.group_name == "groep 8"

    def test_full_sample_reads_tests_with_dle_dl_and_level(self) -> None:
        d = parse_dossier(FULL.read_bytes())
        reading = next(t for t in d.test_results if t.subject == "begrijpend lezen")
        assert (reading.score, reading.dle, reading.dl, reading.level) == ("103", 40, 25, "1F")
        (final,) = d.final_test_results
        assert (final.score, final.taken_on) == ("525", dt.date(2015, 4, 28))

    def test_full_sample_decodes_attachments(self) -> None:
        d = parse_dossier(FULL.read_bytes())
        assert len(d.attachments) == 15
        png = next(a for a in d.attachments if a.filename == "cet_uitslag.png.zip")
        assert png.kind == "doorstroomtoets"
        assert png.content_type == "application/zip"  # OSO zips each document; kept as is
        assert zipfile.ZipFile(io.BytesIO(png.data)).namelist() == ["cet_uitslag.png"]
        assert png.sha256 == hashlib.sha256(png.data).hexdigest()


BOMB = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]><dossier>&c;</dossier>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<dossier>&x;</dossier>"""


class TestHostileInput:
    @pytest.mark.parametrize("data", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
    def test_doctype_is_refused(self, data: bytes) -> None:
        with pytest.raises(Rejected, match="DOCTYPE"):
            parse_dossier(data)

    def test_malformed_xml_names_the_line(self) -> None:
        with pytest.raises(Rejected, match="geen geldige XML") as err:
            parse_dossier(b"<dossier>\n<metadata></dossier>")
        assert err.value.violations[0].path == "regel 2"

    def test_oversized_input_is_refused_before_parsing(self) -> None:
        with pytest.raises(Rejected, match="te groot"):
            parse_dossier(b" " * (20 * 1024 * 1024 + 1))

    def test_size_cap_can_be_lowered(self) -> None:
        with pytest.raises(Rejected, match="te groot"):
            parse_dossier(FULL.read_bytes(), max_bytes=100_000)

    def test_other_gegevensset_namespace_names_the_version(self) -> None:
        ns = "http://www.edustandaard.nl/oso_gegevensset/2018/dossier"
        with pytest.raises(Rejected, match="versie 2018;"):
            parse_dossier(build_dossier_xml(_simple(namespace=ns)))

    def test_other_standaardversie_names_the_version(self) -> None:
        with pytest.raises(Rejected, match=r"versie 2020\.1;"):
            parse_dossier(build_dossier_xml(_simple(version="2020.1")))

    def test_foreign_xml_is_not_a_dossier(self) -> None:
        with pytest.raises(Rejected, match="geen OSO-dossier"):
            parse_dossier(b"<html><body/></html>")

    def test_schema_errors_are_all_listed(self) -> None:
        data = FULL.read_bytes().replace(b"<achternaam>Berg</achternaam>", b"", 1)
        with pytest.raises(Rejected, match="voldoet niet aan het OSO-schema") as err:
            parse_dossier(data)
        assert err.value.violations
        assert all(v.path.startswith("regel ") for v in err.value.violations)

    def test_dossier_of_another_brin_is_refused(self) -> None:
        with pytest.raises(Rejected, match="BRIN 00YY"):
            parse_dossier(FULL.read_bytes(), location=LOC)

    def test_dossier_of_another_pupil_is_refused(self) -> None:
        with pytest.raises(Rejected, match="hoort bij een andere leerling"):
            parse_dossier(FULL.read_bytes(), bsn=Bsn("111222333"))

    def test_bad_base64_names_the_attachment(self) -> None:
        data = build_dossier_xml(_simple(attachments=(("plan.pdf", b"%PDF"),)))
        broken = data.replace(b"JVBERg==", b"JVBE*g==")
        with pytest.raises(Rejected, match=r"plan\.pdf"):
            parse_dossier(broken)

    def test_check_gives_the_cli_the_refusal(self) -> None:
        assert check(FULL.read_bytes()).passed
        refused = check(BOMB)
        assert refused.refusal.startswith("Het dossier bevat een DOCTYPE")
        assert not refused.passed
        invalid = check(FULL.read_bytes().replace(b"<achternaam>Berg</achternaam>", b"", 1))
        assert invalid.errors
        assert invalid.rule_messages == ()


OPT_OUT = FIXTURES / "Voorbeelddossier_OV_BB_opt_out.xml"


class TestOfficialRules:
    """The official rules' messages and the withheld categories travel with the dossier."""

    def test_samples_come_without_messages_and_with_what_they_withheld(self) -> None:
        full, opt_out = parse_dossier(FULL.read_bytes()), parse_dossier(OPT_OUT.read_bytes())
        assert (full.rule_messages, full.withheld) == ((), frozenset())
        assert opt_out.rule_messages == ()
        assert opt_out.withheld == {
            "ouderinzage", "oudersverzorgers", "vve", "schoolloopbaan", "overstapadvies",
            "onderwijsondersteuning", "verzuim", "eindtoetsbo", "toetsresultaten",
            "handelingsplannen", "cijferlijsten", "vombo", "bijlagedocs",
        }  # fmt: skip

    def test_the_domain_knows_every_category_of_the_xsd(self) -> None:
        xsd = etree.parse(str(stylesheet_folder().parent / "OSO_gegevensset_2019.1.xsd"))
        names = xsd.xpath(
            "//xs:element[@name='categorie_uitlevering']//xs:element/@name",
            namespaces={"xs": "http://www.w3.org/2001/XMLSchema"},
        )
        assert tuple(name.removeprefix("cat_") for name in names) == CATEGORIES

    def test_a_dossier_breaking_a_rule_is_read_with_the_official_message(self) -> None:
        data = re.sub(
            rb"<categorie_uitlevering>.*?</categorie_uitlevering>", b"", FULL.read_bytes(),
            flags=re.S,
        )  # fmt: skip
        dossier = parse_dossier(data)
        assert dossier.fields[f.PUPIL_LAST_NAME] == "Berg"
        (message,) = dossier.rule_messages
        assert (message.rule, message.severity, message.location) == (
            "OVb.MD03", "Fout", "/dossier[1]/metadata[1]",
        )  # fmt: skip
        assert check(data).rule_messages == (message,)
        assert not check(data).passed


class TestAttachments:
    def test_zip_is_kept_as_one_file_and_path_parts_are_dropped(self) -> None:
        blob = b"PK\x03\x04" + b"\x00" * 40
        data = build_dossier_xml(_simple(attachments=(("../../etc/uitslag.zip", blob),)))
        (att,) = parse_dossier(data).attachments
        assert (att.filename, att.content_type, att.data) == (
            "uitslag.zip",
            "application/zip",
            blob,
        )


_WORD = (
    st.text(
        st.characters(categories=["L", "N"], include_characters="&<>'\"- "),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
_DATE = st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31))
_CODE = st.sampled_from(["10", "20", "21", "30", "31", "40", "41", "50", "51", "60"])


@st.composite
def _bsns(draw: st.DrawFn) -> str:
    head = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8).filter(any))
    last = sum(d * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
    if last == 10:
        head[7] = (head[7] + 1) % 10
        last = sum(d * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
    return "".join(map(str, head)) + str(last % 10)


_PEOPLE = st.builds(
    PersonData,
    first_name=_WORD,
    last_name=_WORD,
    tussenvoegsel=st.sampled_from(["", "van", "de", "van der"]),
    gender=st.sampled_from(["0", "1", "2"]),
    relation=st.sampled_from(["1", "2", "3", "7"]),
    email=st.emails(),
)
_TESTS = st.builds(
    LvsTest,
    code=_WORD,
    name=_WORD,
    subject=_WORD,
    taken_on=_DATE,
    score=st.integers(0, 500),
    dl=st.none() | st.integers(0, 60),
    dle=st.none() | st.integers(0, 60),
    level=st.sampled_from(["", "1F", "2F", "1S"]),
)
_DOSSIERS = st.builds(
    DossierData,
    location=st.builds(
        SchoolLocation, st.from_regex(r"\A[0-9]{2}[A-Z]{2}\Z"), st.from_regex(r"\A[0-9]{2}\Z")
    ),
    bsn=_bsns(),
    pupil=_PEOPLE,
    birth_date=st.dates(dt.date(2010, 1, 1), dt.date(2016, 12, 31)),
    dossier_date=_DATE,
    group=_WORD,
    parents=st.lists(_PEOPLE, max_size=3).map(tuple),
    tests=st.lists(_TESTS, max_size=4).map(tuple),
    final_test=st.none()
    | st.builds(FinalTestData, taken_on=_DATE, score=st.integers(501, 550), advice=st.just("havo")),
    advice=st.sampled_from([""]) | _CODE,
    revised_advice=st.sampled_from([""]) | _CODE,
    attachments=st.lists(st.tuples(_WORD, st.binary(min_size=1, max_size=64)), max_size=2).map(
        tuple
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_DOSSIERS)
def test_generated_dossiers_validate_and_round_trip(data: DossierData) -> None:
    xml = build_dossier_xml(data)
    assert schema_violations(parse_untrusted(xml)) == []
    d = parse_dossier(xml, location=data.location, bsn=Bsn(data.bsn))
    assert d.sender == data.location
    assert d.fields[f.PUPIL_FIRST_NAME] == data.pupil.first_name
    assert d.fields[f.PUPIL_LAST_NAME] == data.pupil.last_name
    assert d.fields.get(f.PUPIL_TUSSENVOEGSEL, "") == data.pupil.tussenvoegsel
    assert d.fields[f.PUPIL_BIRTH_DATE] == data.birth_date
    for i, parent in enumerate(data.parents):
        assert d.fields[f"ouders.{i}.achternaam"] == parent.last_name
        assert d.fields[f"ouders.{i}.email"] == parent.email
    got = [(t.taken_on, t.score, t.dl, t.dle, t.level) for t in d.test_results]
    assert got == [(t.taken_on, str(t.score), t.dl, t.dle, t.level) for t in data.tests]
    assert len(d.final_test_results) == (data.final_test is not None)
    assert d.advice_code == ((data.revised_advice or data.advice) or None)
    assert [a.data for a in d.attachments] == [blob for _, blob in data.attachments]
    assert d.group_name == data.group


@pytest.mark.parametrize("profile", [REALISTIC, SMALL], ids=["realistic", "small"])
def test_random_dossiers_validate_round_trip_and_repeat_per_seed(profile: DossierProfile) -> None:
    today = dt.date(2026, 1, 15)
    first = [random_dossier(random.Random(7), LOC, today, profile=profile) for _ in range(2)]
    assert first[0] == first[1]  # the same seed gives the same dossier
    data = first[0]
    xml = build_dossier_xml(data)
    assert schema_violations(parse_untrusted(xml)) == []
    d = parse_dossier(xml, location=LOC, bsn=Bsn(data.bsn))
    assert len(d.test_results) == len(data.tests)
    assert len(d.career) == len(data.earlier_career) + 1
    assert d.group_name == data.group
    plans = [p.document for p in data.support if p.document is not None]
    assert [a.data for a in d.attachments] == [blob for _, blob in (*plans, *data.attachments)]
    if profile is REALISTIC:
        assert 1 <= len(d.attachments) <= 3
        assert all(20 * 1024 <= a.size <= 100 * 1024 for a in d.attachments)
        assert len(d.test_results) == 24
        assert d.attachments[0].kind == "handelingsplan"
        assert d.fields["ondersteuning.verzuim.geoorloofd"] == data.absence[0]  # type: ignore[index]
        assert 2 <= sum(1 for k in d.fields if k.endswith(".achternaam")) - 1 <= 3


def test_wrapped_base64_is_read_like_unwrapped() -> None:
    blob = bytes(range(256)) * 4
    xml = build_dossier_xml(_simple(attachments=(("plan.pdf", blob),)))
    encoded = base64.b64encode(blob)
    wrapped = b"\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    (attachment,) = parse_dossier(xml.replace(encoded, wrapped)).attachments
    assert attachment.data == blob


def test_the_size_limit_does_not_count_line_wrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dossier_records, "MAX_ATTACHMENT_BYTES", 1024)
    fits, too_big = bytes(range(255)) * 4, bytes(range(256)) * 5  # 1,020 and 1,280 bytes

    def wrapped(blob: bytes) -> bytes:
        xml = build_dossier_xml(_simple(attachments=(("plan.pdf", blob),)))
        encoded = base64.b64encode(blob)
        lines = b"\n".join(encoded[i : i + 8] for i in range(0, len(encoded), 8))
        return xml.replace(encoded, lines)  # a third more characters than base64 needs

    (attachment,) = parse_dossier(wrapped(fits)).attachments
    assert attachment.data == fits
    with pytest.raises(Rejected, match=r"plan\.pdf' is groter dan"):
        parse_dossier(wrapped(too_big))


SUB_TEST = (
    b"<toetsonderdeel><eldonderdeelcode>D1</eldonderdeelcode><resultaat><toetsscore>"
    b"<vaardigheidsscore>999</vaardigheidsscore></toetsscore><referentiescore>"
    b"<codereferentiescore>DLE</codereferentiescore><codevergelijkingsgroep>Landelijk"
    b"</codevergelijkingsgroep><waarde>77</waarde></referentiescore></resultaat></toetsonderdeel>"
)


def test_a_sub_test_does_not_replace_what_the_test_itself_scored() -> None:
    tests = (
        LvsTest(code="CRW", name="Rekenen", subject="rekenen", taken_on=dt.date(2025, 1, 20),
                score=150, dl=45, dle=40, level="1F"),
        LvsTest(code="CSP", name="Spelling", subject="spelling", taken_on=dt.date(2025, 1, 21),
                score=120, dl=45, dle=38, level="2F"),
    )  # fmt: skip
    xml = build_dossier_xml(_simple(tests=tests))
    # Sub-tests (with results of their own) after the first test's result; a second DLE in
    # the second test's own result: the first per code counts.
    xml = xml.replace(b"</resultaat></toets>", b"</resultaat>" + SUB_TEST + b"</toets>", 1)
    second_dle = b"<waarde>38</waarde></referentiescore>"
    xml = xml.replace(
        second_dle,
        second_dle + b"<referentiescore><codereferentiescore>DLE</codereferentiescore>"
        b"<codevergelijkingsgroep>Landelijk</codevergelijkingsgroep><waarde>55</waarde>"
        b"</referentiescore>",
    )
    assert schema_violations(parse_untrusted(xml)) == []
    first, second = parse_dossier(xml).test_results
    assert (first.test_name, first.score, first.dle, first.dl, first.level) == (
        "Rekenen", "150", 40, 45, "1F",
    )  # fmt: skip
    assert (second.test_name, second.score, second.dle, second.level) == (
        "Spelling", "120", 38, "2F",
    )  # fmt: skip


def test_threads_validating_at_once_each_get_their_own_errors() -> None:
    # Batches parse dossiers in many threads. A compiled schema has one error log, so with one
    # schema per process an invalid dossier could come back without its errors (and pass) or
    # with another's; each thread now compiles its own (one at a time: libxml2 crashed when
    # two threads compiled it together).
    import threading

    from elk_adapters.oso.dossiers.parser import schema

    valid = FULL.read_bytes()
    invalid = valid.replace(b"<achternaam>Berg</achternaam>", b"", 1)
    start = threading.Barrier(8)
    outcomes: list[str] = []
    schemas: list[object] = []  # kept alive: a dead thread's schema may free its id for reuse

    def work(index: int) -> None:
        start.wait()
        schemas.append(schema())
        for round_ in range(15):
            if (index + round_) % 2:
                parse_dossier(valid)
                outcomes.append("ok")
                continue
            try:
                parse_dossier(invalid)
            except Rejected as error:
                missing = "achternaam" in " ".join(v.message for v in error.violations)
                outcomes.append("refused" if missing else f"wrong errors: {error.violations}")
            else:
                outcomes.append("invalid dossier accepted")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(compiled) for compiled in schemas}) == 8
    assert sorted(set(outcomes)) == ["ok", "refused"], outcomes
