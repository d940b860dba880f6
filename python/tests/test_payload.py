"""civiqr.payload as Python callers use it: each kind built, printed, parsed
back (also through a rendered and decoded symbol), typed errors."""

from __future__ import annotations

import dataclasses
import decimal
import pickle

import pytest

import civiqr
from civiqr import payload as P

IBAN = "FR7630006000011234567890189"

EXAMPLES = [
    P.Url("https://example.org/mobilier/banc-0042?x=1"),
    P.Geo(48.8566, 2.3522),
    P.Geo(-33.9, 151.2, alt=58.5),
    P.Sms("+33612345678", text="STOP"),
    P.Sms("+33612345678", text="bonjour à tous", form="sms"),
    P.Tel("+33 1 23 45 67 89"),
    P.Email("mairie@example.org", subject="Banc cassé", body="Rue de la Paix"),
    P.Wifi("Mairie-Invités", password="bienvenue2026"),
    P.Wifi("Open;Net", hidden=True),
    P.Wifi("Old", password="12345", auth="WEP"),
    P.VCard("Jean Dupont", org="Mairie", phones=("+33 1 23", "+33 6 12"), emails=["jd@example.org"],
            address="1 place de la Mairie", note="Accueil"),
    P.MeCard("Jean Dupont", phones="+33 1 23", url="https://example.org"),
    P.Epc("Tresor Public", IBAN, amount="12.5", text="Stationnement"),
    P.Epc("Tresor Public", IBAN, bic="BDFEFRPPCCT", amount=decimal.Decimal("1999.99"),
          reference="RF18539007547034", version=1),
]


@pytest.mark.parametrize("p", EXAMPLES, ids=lambda p: p.kind)
def test_parse_reads_back_what_was_built(p):
    text = str(p)
    assert civiqr.payload.parse(text) == p
    assert type(p).parse(text) == p
    assert pickle.loads(pickle.dumps(p)) == p and str(pickle.loads(pickle.dumps(p))) == text
    assert dataclasses.replace(p) == p


@pytest.mark.parametrize("p", EXAMPLES, ids=lambda p: p.kind)
def test_through_a_symbol(p):
    found = civiqr.decode(p.encode().to_png(scale=4))
    assert len(found) == 1 and found[0].text == str(p)
    assert found[0].payload == p


def test_canonical_fields():
    assert P.Wifi("x", password="12345678").auth == "WPA"
    assert P.Wifi("x").auth == "nopass"
    assert P.Epc("A", IBAN, amount=12).amount == "12.00"
    assert P.Epc("A", IBAN).version == 2
    assert P.Geo(1, 2) == P.Geo(1.0, 2.0)
    assert P.VCard("A", phones="1").phones == ("1",)
    assert str(P.Url("https://example.org")) == "https://example.org"
    assert str(P.Wifi("Mairie", password="bienvenue2026")) == "WIFI:T:WPA;S:Mairie;P:bienvenue2026;;"


def test_epc_is_encoded_at_level_m():
    epc = P.Epc("Tresor Public", IBAN, amount="1")
    assert epc.required_ec == "M" and epc.encode().ec == "M"
    assert P.Url("https://example.org").required_ec is None
    assert P.Url("https://example.org").encode(ec="H").ec == "H"


def test_other_text_is_text():
    assert P.parse("hello") == P.Text("hello")
    assert str(P.Text("hello")) == "hello"
    # A known prefix with broken fields is still just text, never an error.
    assert P.parse("WIFI:garbage") == P.Text("WIFI:garbage")
    assert P.parse("") == P.Text("")


def test_from_fields_takes_csv_like_rows():
    assert P.from_fields("wifi", {"ssid": "x", "password": "12345678", "hidden": True}) == \
        P.Wifi("x", password="12345678", hidden=True)
    assert P.from_fields("GEO", [("lat", 1.5), ("lon", "2")]) == P.Geo(1.5, 2.0)
    assert P.from_fields("vcard", [("name", "A"), ("phone", "1"), ("phone", "2")]).phones == ("1", "2")
    with pytest.raises(civiqr.PayloadError, match="unknown"):
        P.from_fields("fax", {"number": "1"})
    with pytest.raises(civiqr.PayloadError) as e:
        P.from_fields("wifi", {"ssid": "x", "colour": "red"})
    assert e.value.field == "colour"
    assert set(P.KINDS) == {"url", "geo", "sms", "tel", "email", "wifi", "vcard", "mecard", "epc"}


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: P.Url("ftp://example.org"), "url"),
        (lambda: P.Geo(91, 0), "lat"),
        (lambda: P.Geo(0, float("nan")), "lon"),
        (lambda: P.Wifi(""), "ssid"),
        (lambda: P.Wifi("x", password="short"), "password"),
        (lambda: P.Wifi("x", auth="WPA3-SAE-Ultra"), "auth"),
        (lambda: P.Sms("+33 6", form="fax"), "form"),
        (lambda: P.Epc("A", "FR7630006000011234567890188"), "iban"),
        (lambda: P.Epc("A", IBAN, amount="-1"), "amount"),
        (lambda: P.Epc("A", IBAN, amount=0.1 + 0.2), "amount"),
        (lambda: P.Epc("A", IBAN, version=3), "version"),
        (lambda: P.Epc("A" * 71, IBAN), "name"),
        (lambda: P.VCard(""), "name"),
    ],
)
def test_invalid_fields_are_payload_errors_naming_the_field(build, field):
    with pytest.raises(civiqr.PayloadError) as e:
        build()
    assert isinstance(e.value, ValueError) and isinstance(e.value, civiqr.CiviqrError)
    assert e.value.field == field, str(e.value)
    back = pickle.loads(pickle.dumps(e.value))
    assert back.field == field and str(back) == str(e.value)


def test_parse_of_the_wrong_kind_is_an_error():
    with pytest.raises(civiqr.PayloadError, match="geo"):
        P.Geo.parse("https://example.org")
    with pytest.raises(civiqr.PayloadError):
        P.Epc.parse("BCD\n002\n1\nSCT\n")


@pytest.mark.parametrize(
    "build",
    [
        lambda: P.Url(b"https://example.org"),
        lambda: P.Geo("48.8", 2),
        lambda: P.Geo(True, 2),
        lambda: P.Wifi("x", hidden="yes"),
        lambda: P.Wifi(None),
        lambda: P.VCard("A", phones=[1]),
        lambda: P.VCard("A", phones=3),
        lambda: P.Epc("A", IBAN, amount=[1]),
        lambda: P.Epc("A", IBAN, version="2"),
        lambda: P.Text(3),
        lambda: P.parse(b"WIFI:"),
        lambda: P.Wifi.parse(None),
        lambda: P.from_fields(3, {}),
        lambda: P.from_fields("wifi", {"ssid": object()}),
        lambda: P.Payload(),
    ],
)
def test_wrong_types_are_type_errors(build):
    with pytest.raises(TypeError):
        build()


def test_payloads_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        P.Tel("+33 1").number = "2"  # type: ignore[misc]


def test_module_docstring_example():
    import doctest

    failures, tried = doctest.testmod(P)
    assert tried > 0 and failures == 0


def test_url_from_template():
    url = P.Url.from_template("https://example.org/mobilier/{id}?q={q}", {"id": "banc 42", "q": 7})
    assert url == P.Url("https://example.org/mobilier/banc%2042?q=7")
    with pytest.raises(civiqr.PayloadError) as e:
        P.Url.from_template("https://example.org/{missing}", {})
    assert e.value.field == "template"
    with pytest.raises(civiqr.PayloadError):
        P.Url.from_template("https://example.org/{id", {"id": "1"})
    with pytest.raises(TypeError):
        P.Url.from_template("https://example.org/{id}", {"id": None})
    with pytest.raises(TypeError):
        P.Url.from_template("https://example.org/{id}", [("id", "1")])
