"""The JSON forms of Oki-doc content: what is stored, and that it reads back the same."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from elk_adapters.persistence import codecs
from elk_domain.okidoc.model import FieldValue, Provenance, Source

UTC_NOON = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)
AMSTERDAM_NOON = UTC_NOON.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))


class TestFieldsToJson:
    def test_each_field_keeps_its_own_provenance_even_at_the_same_instant(self) -> None:
        # Equal instants in two zones: the stored texts must still differ per field.
        oso = Provenance(Source.OSO, AMSTERDAM_NOON, "De Regenboog (12AB00)")
        hand = Provenance(Source.HAND, UTC_NOON, "Juf Ans")
        fields = {
            "leerling.roepnaam": FieldValue("Anna", oso),
            "leerling.achternaam": FieldValue("Jansen", oso),
            "advies.contactpersoon": FieldValue("Juf Ans", hand),
        }
        doc = codecs.fields_to_json(fields)
        assert doc["leerling.roepnaam"] == {
            "type": "str",
            "value": "Anna",
            "source": "oso",
            "at": "2026-03-02T12:00:00+01:00",
            "by": "De Regenboog (12AB00)",
        }
        assert doc["leerling.achternaam"]["at"] == "2026-03-02T12:00:00+01:00"
        assert doc["advies.contactpersoon"]["at"] == "2026-03-02T11:00:00+00:00"
        assert doc["advies.contactpersoon"]["source"] == "hand"

    def test_every_kind_of_value_reads_back_with_its_type(self) -> None:
        provenance = Provenance(Source.HAND, UTC_NOON, "Juf Ans")
        fields = {
            "a": FieldValue(True, provenance),
            "b": FieldValue(3, provenance),
            "c": FieldValue(dt.date(2014, 5, 23), provenance),
            "d": FieldValue("tekst", provenance),
        }
        doc = codecs.fields_to_json(fields)
        assert [doc[k]["type"] for k in "abcd"] == ["bool", "int", "date", "str"]
        back = codecs.fields_from_json(doc)
        assert back == fields
        assert back["a"].value is True

    def test_an_inferred_advice_keeps_its_code_and_older_documents_read_as_not_inferred(
        self,
    ) -> None:
        sent = Provenance(Source.OSO, AMSTERDAM_NOON, "De Regenboog (12AB00)")
        inferred = Provenance(Source.OSO, AMSTERDAM_NOON, sent.by, inferred_from="51")
        fields = {
            "advies.definitief": FieldValue("havo/vwo", inferred),
            "leerling.achternaam": FieldValue("Jansen", sent),
        }
        doc = codecs.fields_to_json(fields)
        assert doc["advies.definitief"]["inferred_from"] == "51"
        assert "inferred_from" not in doc["leerling.achternaam"]  # stored only when inferred
        assert codecs.fields_from_json(doc) == fields  # a field without the key: not inferred
