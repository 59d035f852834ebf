"""Fuzz of the result-file reader (issue 17): generated hostile ZIPs, XML and CSV.

Every file is either read or refused with a Dutch message (``Rejected``); nothing else may
escape (no crash, no partial result). ``ELK_FUZZ_FILES`` sets the number of files (2,000 by
default, about a minute here; the issue's target run is 10,000).
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from elk_adapters.imports.result_files import ADVICE, ZipResultFileReader
from elk_domain.errors import Rejected
from elk_domain.finaltest.results import ResultFile

FILES = int(os.environ.get("ELK_FUZZ_FILES", "2000"))
SAMPLE = (Path(__file__).parents[1] / "fixtures" / "finaltest" / "results_sample.zip").read_bytes()
HEADER = "BRIN;BSN;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><d><leerling>&c;</leerling></d>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
NAMES = st.sampled_from(
    [
        "r.csv", "r.xml", "../r.csv", "/etc/r.csv", "a\\b.csv", "C:r.xml", "a/../../r.csv",
        "x\x00.csv", "in.zip", "in.7z", "r.txt", "map/", "rapport.pdf", "R.CSV", "é.xml",
    ]
)  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(
        ["12AB00", "12ab", "", "Zoë", "van der", "Berg-de Wit", "04-05-2013", "2013-02-30",
         "31/12/2013", "havo/vwo", "superslim", "111222333", "Route 8", '"', "\x07", "x" * 300]
    ),
    st.text(max_size=30),
)  # fmt: skip


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    header = HEADER if draw(st.booleans()) else draw(st.text(max_size=60))
    rows = draw(st.lists(st.lists(CELLS, max_size=11), max_size=6))
    text = "\n".join([header.replace(";", delimiter)] + [delimiter.join(r) for r in rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@st.composite
def xml_bytes(draw: st.DrawFn) -> bytes:
    fields = draw(st.lists(st.sampled_from(HEADER.lower().split(";")), max_size=9))
    values = draw(st.lists(CELLS, min_size=len(fields), max_size=len(fields)))
    body = "".join(f"<{k}>{v}</{k}>" for k, v in zip(fields, values, strict=True))
    pupil = f"<leerling>{body}<score onderdeel='x'>1</score></leerling>"
    made = f'<doorstroomtoets toets="IEP" afnamedatum="2026-02-12">{pupil}</doorstroomtoets>'
    return draw(
        st.sampled_from([made.encode(), made.encode("utf-16"), LAUGHS, XXE, b"<a>" * 300, b""])
    )


def _zip(entries: list[tuple[str, bytes]], method: int) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", method) as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": a hostile case we want
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


@st.composite
def archives(draw: st.DrawFn) -> bytes:
    contents = st.one_of(csv_bytes(), xml_bytes(), st.binary(max_size=200), st.just(SAMPLE))
    entries = draw(st.lists(st.tuples(NAMES, contents), max_size=4))
    if draw(st.integers(0, 20)) == 0:
        entries.append(("bom.csv", b"\0" * draw(st.integers(1, 4)) * 1024 * 1024))
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2]))
    try:
        data = _zip(entries, method)
    except ValueError:  # zipfile itself refuses some names (NUL); a hostile sender need not
        data = _zip([(n.replace("\x00", "_"), c) for n, c in entries], method)
    return data


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.one_of(archives(), st.just(SAMPLE))))
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data)


HOSTILE = st.one_of(archives(), damaged(), st.binary(max_size=300), csv_bytes(), xml_bytes())


@settings(
    max_examples=FILES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(HOSTILE)
def test_every_file_is_read_or_refused_with_a_message(data: bytes) -> None:
    outcome = _read(data)
    event(outcome.message.split(":")[0][:50] if isinstance(outcome, Rejected) else "gelezen")
    if isinstance(outcome, Rejected):
        assert outcome.message.endswith(ADVICE), outcome.message
    else:
        assert outcome.lines


def _read(data: bytes) -> ResultFile | Rejected:
    try:
        return ZipResultFileReader().read(data)
    except Rejected as refusal:
        return refusal
