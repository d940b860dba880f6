"""civiqr.sign / civiqr.verify: each threat of issue 9, through real
symbols (encode -> PNG -> decode -> verify)."""

from __future__ import annotations

import datetime
import os
import subprocess

import pytest

import civiqr

URL = "https://www.saint-omer.fr/stationnement/horodateur/0042"
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def town() -> civiqr.SigningKey:
    return civiqr.SigningKey.from_seed(bytes(range(32)), "Ville de Saint-Omer")


@pytest.fixture(scope="module")
def trust(town: civiqr.SigningKey) -> civiqr.TrustList:
    return civiqr.TrustList().with_key(town)


def scanned(text: str) -> civiqr.Decoded:
    """The code holding `text`, as a camera would read it."""
    [found] = civiqr.decode(civiqr.encode(text).to_png())
    return found


def status(text: str, trust: civiqr.TrustList) -> str:
    return civiqr.verify(scanned(text), trust, today=TODAY).status


def test_a_signed_url_is_verified_with_its_issuer(town, trust):
    signed = civiqr.sign(URL, town)
    assert signed.startswith(URL + "#CQ2" + town.key_id) and len(town.key_id) == 16
    v = civiqr.verify(scanned(signed), trust, today=TODAY)
    assert (v.status, v.issuer, v.key_id) == ("valid", "Ville de Saint-Omer", town.key_id)
    assert v.ok and v.summary == "verified: Ville de Saint-Omer"
    assert v.content == URL.encode()
    # str, bytes and Decoded are all accepted; the default date is today.
    assert civiqr.verify(signed, trust).status == "valid"
    assert civiqr.verify(signed.encode(), trust).status == "valid"
    # The signed URL is still a URL for civiqr.payload (and for phones).
    assert scanned(signed).payload.kind == "url"


def test_unsigned(trust):
    v = civiqr.verify(scanned(URL), trust, today=TODAY)
    assert (v.status, v.issuer, v.key_id, v.summary) == ("unsigned", None, None, "unsigned")
    assert not v.ok


@pytest.mark.parametrize("change", [
    lambda u: u.replace("0042", "0043"),                     # one character
    lambda u: u.replace("saint-omer", "Saint-Omer"),         # case
    lambda u: u + "?pay=https://evil.example",               # appended query
    lambda u: u + "#zone-rouge",                             # added fragment
])
def test_threat_changed_url(town, trust, change):
    tag = civiqr.sign(URL, town)[len(URL):]
    v = civiqr.verify(scanned(change(URL) + tag), trust, today=TODAY)
    assert v.status == "invalid" and v.issuer is None
    assert v.summary == "signature invalid: do not trust"


def test_threat_changed_fragment(town, trust):
    original = "https://www.saint-omer.fr/plan#zone-verte"
    tag = civiqr.sign(original, town)[len(original):]
    assert status(original + tag, trust) == "valid"
    assert status("https://www.saint-omer.fr/plan#zone-rouge" + tag, trust) == "invalid"


def test_threat_unknown_key(town, trust):
    rogue = civiqr.SigningKey.generate("Ville de Saint-Omer")
    assert rogue.key_id != town.key_id
    v = civiqr.verify(scanned(civiqr.sign(URL, rogue)), trust, today=TODAY)
    assert (v.status, v.issuer, v.key_id) == ("unknown_key", None, rogue.key_id)


def test_threat_expired_key(town):
    old = civiqr.TrustList().with_key(
        town, not_before=datetime.date(2020, 1, 1), not_after=datetime.date(2025, 12, 31))
    v = civiqr.verify(scanned(civiqr.sign(URL, town)), old, today=TODAY)
    assert (v.status, v.issuer) == ("expired", "Ville de Saint-Omer")
    assert not v.ok
    assert civiqr.verify(civiqr.sign(URL, town), old,
                         today=datetime.date(2025, 12, 31)).status == "valid"


def test_threat_truncated_signature(town, trust):
    signed = civiqr.sign(URL, town)
    for cut in (1, 10, 100):
        assert status(signed[:-cut], trust) == "invalid"


def test_threat_second_payload(town, trust):
    signed = civiqr.sign(URL, town)
    assert status(signed + "\nhttps://evil.example/pay", trust) == "invalid"
    assert status("https://evil.example/pay " + signed, trust) == "invalid"
    assert status(signed + signed[len(URL):], trust) == "invalid"


def test_threat_replayed_signature(town, trust):
    other = URL.replace("0042", "0099")
    tag = civiqr.sign(other, town)[len(other):]
    assert status(URL + tag, trust) == "invalid"
    assert status(other + tag, trust) == "valid"


def test_signing_refuses_what_it_cannot_sign(town):
    with pytest.raises(civiqr.SignError, match="already holds a signature"):
        civiqr.sign(civiqr.sign(URL, town), town)
    with pytest.raises(civiqr.SignError, match="wifi payload cannot be signed"):
        civiqr.sign("WIFI:S:Mairie;T:WPA;P:secret-password;;", town)
    with pytest.raises(TypeError):
        civiqr.sign(URL.encode(), town)  # type: ignore[arg-type]
    with pytest.raises(civiqr.SignError, match="32 bytes"):
        civiqr.SigningKey.from_seed(b"short", "X")
    with pytest.raises(civiqr.SignError, match="issuer"):
        civiqr.SigningKey.generate("")


def test_key_files_and_trust_files(town, tmp_path):
    text = town.to_key_file()
    back = civiqr.SigningKey.from_key_file(text)
    assert (back.key_id, back.issuer, back.public_key) == (town.key_id, town.issuer, town.public_key)
    assert "seed" not in repr(town) and town.key_id in repr(town)
    with pytest.raises(civiqr.SignError, match="line"):
        civiqr.SigningKey.from_key_file(text.replace("seed: ", "seed: zz"))

    a = civiqr.TrustList().with_key(town, not_after=datetime.date(2030, 1, 1))
    (tmp_path / "a.json").write_text(a.to_json())
    other = civiqr.SigningKey.from_seed(bytes(32), "Communauté CAPSO")
    (tmp_path / "b.json").write_text(civiqr.TrustList().with_key(other).to_json())
    both = civiqr.load_trust(tmp_path / "a.json", tmp_path / "b.json")
    assert sorted(both.key_ids) == sorted([town.key_id, other.key_id]) and len(both) == 2
    (tmp_path / "k.key").write_text(text)
    os.chmod(tmp_path / "k.key", 0o600)
    assert civiqr.load_key(tmp_path / "k.key").key_id == town.key_id

    # Malformed trust files name the key and the field.
    broken = a.to_json().replace('"not_after"', '"not_afer"')
    with pytest.raises(civiqr.TrustError, match=f'key "{town.key_id}": field "not_afer"'):
        civiqr.TrustList.from_json(broken)
    with pytest.raises(civiqr.TrustError, match="line 1 column"):
        civiqr.TrustList.from_json("{")
    # The same key id with other dates is a conflict.
    with pytest.raises(civiqr.TrustError, match="different entries"):
        a.merged(civiqr.TrustList().with_key(town))
    assert issubclass(civiqr.TrustError, ValueError) and issubclass(civiqr.SignError, ValueError)


def test_the_cli_key_works_in_python(tmp_path):
    """A key from `civiqr keygen` signs in Python, and its trust file verifies."""
    cli = os.environ.get("CIVIQR_CLI")
    if not cli:
        pytest.skip("CIVIQR_CLI not set")
    key, trust = tmp_path / "town.key", tmp_path / "trust.json"
    subprocess.run([cli, "keygen", "--out", key, "--issuer", "Ville de Saint-Omer",
                    "--trust-out", trust], check=True, capture_output=True)
    v = civiqr.verify(civiqr.sign(URL, civiqr.load_key(key)), civiqr.load_trust(trust))
    assert v.summary == "verified: Ville de Saint-Omer"


def test_keys_others_can_read_are_refused_and_reads_are_bounded(tmp_path, town):
    """As OpenSSH: a key file its group or others can read is not used
    unless the caller says so; endless files stop at the limit."""
    key = tmp_path / "town.key"
    key.write_text(town.to_key_file())
    os.chmod(key, 0o644)
    with pytest.raises(civiqr.SignError, match=r"readable by others \(mode 0644\)"):
        civiqr.load_key(key)
    assert civiqr.load_key(key, insecure_permissions=True).key_id == town.key_id
    with pytest.raises(FileNotFoundError) as missing:
        civiqr.load_key(tmp_path / "none.key")
    assert missing.value.filename == str(tmp_path / "none.key")
    if os.path.exists("/dev/zero"):
        with pytest.raises(civiqr.TrustError, match=r"/dev/zero.*1048576"):
            civiqr.load_trust("/dev/zero")
        with pytest.raises(civiqr.SignError, match=r"/dev/zero.*65536"):
            civiqr.load_key("/dev/zero", insecure_permissions=True)


def test_codes_of_the_first_scheme_still_verify():
    """#CQ1 codes (5-character key ids) signed before key ids grew, with a
    trust file of that time (wasm/tests/fixtures/signed.json's legacy part)."""
    import json
    import pathlib
    fx = json.loads((pathlib.Path(__file__).parents[2] / "wasm" / "tests" / "fixtures"
                     / "signed.json").read_text())["legacy"]
    trust = civiqr.TrustList.from_json(json.dumps(fx["trust"]))
    v = civiqr.verify(fx["signed"], trust, today=TODAY)
    assert (v.status, v.key_id) == ("valid", fx["keyId"])
    assert civiqr.verify(fx["replayed"], trust, today=TODAY).status == "invalid"
