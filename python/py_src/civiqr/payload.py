"""civiqr.payload: the text conventions phones act on (URL, geo, SMS, tel,
e-mail, Wi-Fi, vCard, MeCard, EPC SEPA credit transfer), built and parsed by
the Rust core (`civiqr::payload`).

Each kind is a frozen dataclass whose constructor checks its fields (raising
civiqr.PayloadError, a ValueError, naming the field) and stores them in
canonical form; ``str(p)`` is the text to encode and ``p.encode()`` the
symbol. ``parse(text)`` classifies any decoded text and never fails: text of
no known kind, or with invalid fields, comes back as ``Text``.

>>> from civiqr import payload
>>> wifi = payload.Wifi("Mairie-Invites", password="bienvenue2026")
>>> str(wifi)
'WIFI:T:WPA;S:Mairie-Invites;P:bienvenue2026;;'
>>> payload.parse(str(wifi)) == wifi
True
>>> payload.parse("hello")
Text(text='hello')
"""

from __future__ import annotations

import dataclasses
import decimal
from typing import Any, ClassVar, Iterable, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from . import _civiqr
from ._civiqr import QrCode

__all__ = [
    "Email", "Epc", "Geo", "KINDS", "MeCard", "Payload", "Sms", "Tel", "Text", "Url", "VCard",
    "Wifi", "from_fields", "parse",
]

KINDS: Tuple[str, ...] = ("url", "geo", "sms", "tel", "email", "wifi", "vcard", "mecard", "epc")
"""The kind names `from_fields` takes, as in civiqr::payload::KINDS."""

# How each attribute travels to and from the Rust field strings:
#   str    required or "" default; ostr: Optional[str]; num: float; onum: Optional[float];
#   flag   bool as "true"/"false"; many: tuple of str, the Rust field repeated;
#   amount Optional decimal (str, int, Decimal or float) as text; epcver: 1 or 2.
_Spec = Tuple[Tuple[str, str, str], ...]
_P = TypeVar("_P", bound="Payload")


class Payload:
    """Base class of the payload kinds."""

    kind: ClassVar[str]
    """The kind's name: "url", "geo", ..., or "text" for `Text`."""
    _spec: ClassVar[_Spec] = ()
    _text: str
    _ec: Optional[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Each kind is a dataclass with its own __init__; this one only runs
        # for the base class itself.
        raise TypeError("Payload is the base class: build a Url, Geo, Sms, Tel, Email, Wifi, "
                        "VCard, MeCard, Epc or Text")

    def __post_init__(self) -> None:
        pairs: list[Tuple[str, str]] = []
        for attr, name, how in self._spec:
            pairs.extend((name, v) for v in _to_rust(self, attr, how))
        _kind, text, canonical, ec = _civiqr._payload_build(self.kind, pairs)
        for attr, value in _from_rust(self._spec, canonical).items():
            object.__setattr__(self, attr, value)
        object.__setattr__(self, "_text", text)
        object.__setattr__(self, "_ec", ec)

    def __str__(self) -> str:
        return self._text

    @property
    def required_ec(self) -> Optional[str]:
        """The EC level the kind's specification requires ("M" for EPC), else None."""
        return self._ec

    def encode(self, **options: Any) -> QrCode:
        """``civiqr.encode(str(self), **options)``, with the EC level the kind
        requires as the default (EPC: "M")."""
        from . import encode

        if self._ec is not None:
            options.setdefault("ec", self._ec)
        return encode(self._text, **options)

    @classmethod
    def parse(cls: Type[_P], text: str) -> _P:
        """Reads payload text of this kind; raises PayloadError when it is not."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return cls(**cls._parse_fields(text))

    @classmethod
    def _parse_fields(cls, text: str) -> dict[str, Any]:
        _kind, _text, canonical, _ec = _civiqr._payload_parse_kind(cls.kind, text)
        return _from_rust(cls._spec, canonical)


@dataclasses.dataclass(frozen=True)
class Url(Payload):
    """An http: or https: URL."""

    kind: ClassVar[str] = "url"
    _spec: ClassVar[_Spec] = (("url", "url", "str"),)
    url: str

    @classmethod
    def from_template(cls, template: str, values: Mapping[str, Union[str, int, float]]) -> "Url":
        """Fills each ``{name}`` of `template` with ``values[name]``, percent-encoded
        (all but RFC 3986 unreserved characters, so a value cannot change the
        URL's structure); ``{{`` and ``}}`` are literal braces.

        >>> Url.from_template("https://example.org/{kind}/{id}", {"kind": "banc", "id": "n° 42"})
        Url(url='https://example.org/banc/n%C2%B0%2042')
        """
        if not isinstance(template, str):
            raise TypeError(f"template must be str, not {type(template).__name__}")
        if not isinstance(values, Mapping):
            raise TypeError(f"values must be a mapping, not {type(values).__name__}")
        strings = {}
        for name, value in values.items():
            if not isinstance(name, str):
                raise TypeError(f"template names must be str, not {type(name).__name__}")
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise TypeError(f"template value {name!r} must be str or a number, "
                                f"not {type(value).__name__}")
            strings[name] = str(value)
        _kind, _text, canonical, _ec = _civiqr._url_from_template(template, strings)
        return cls(**_from_rust(cls._spec, canonical))


@dataclasses.dataclass(frozen=True)
class Geo(Payload):
    """A geo: location (RFC 5870), WGS-84 degrees and metres."""

    kind: ClassVar[str] = "geo"
    _spec: ClassVar[_Spec] = (("lat", "lat", "num"), ("lon", "lon", "num"), ("alt", "alt", "onum"))
    lat: float
    lon: float
    alt: Optional[float] = None


@dataclasses.dataclass(frozen=True)
class Sms(Payload):
    """A text message: form "smsto" (SMSTO:number:text, default) or "sms" (RFC 5724)."""

    kind: ClassVar[str] = "sms"
    _spec: ClassVar[_Spec] = (("number", "number", "str"), ("text", "text", "str"),
                              ("form", "form", "str"))
    number: str
    text: str = ""
    form: str = "smsto"


@dataclasses.dataclass(frozen=True)
class Tel(Payload):
    """A telephone number (RFC 3966 tel:)."""

    kind: ClassVar[str] = "tel"
    _spec: ClassVar[_Spec] = (("number", "number", "str"),)
    number: str


@dataclasses.dataclass(frozen=True)
class Email(Payload):
    """An e-mail (RFC 6068 mailto:)."""

    kind: ClassVar[str] = "email"
    _spec: ClassVar[_Spec] = (("to", "to", "str"), ("subject", "subject", "str"),
                              ("body", "body", "str"))
    to: str
    subject: str = ""
    body: str = ""


@dataclasses.dataclass(frozen=True)
class Wifi(Payload):
    """Wi-Fi credentials. auth: "WPA", "WEP" or "nopass"; None picks WPA when
    there is a password, else nopass."""

    kind: ClassVar[str] = "wifi"
    _spec: ClassVar[_Spec] = (("ssid", "ssid", "str"), ("password", "password", "str"),
                              ("auth", "auth", "ostr"), ("hidden", "hidden", "flag"))
    ssid: str
    password: str = ""
    auth: Optional[str] = None
    hidden: bool = False


_CONTACT_SPEC: _Spec = (
    ("name", "name", "str"), ("org", "org", "str"), ("title", "title", "str"),
    ("phones", "phone", "many"), ("emails", "email", "many"), ("url", "url", "str"),
    ("address", "address", "str"), ("note", "note", "str"),
)


@dataclasses.dataclass(frozen=True)
class _Contact(Payload):
    """The fields vCard and MeCard share."""

    _spec: ClassVar[_Spec] = _CONTACT_SPEC
    name: str
    org: str = ""
    title: str = ""
    phones: Tuple[str, ...] = ()
    emails: Tuple[str, ...] = ()
    url: str = ""
    address: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True)
class VCard(_Contact):
    """A contact as vCard 3.0. phones and emails take a sequence of str (or one str)."""

    kind: ClassVar[str] = "vcard"


@dataclasses.dataclass(frozen=True)
class MeCard(_Contact):
    """A contact as MeCard (shorter than vCard; same fields)."""

    kind: ClassVar[str] = "mecard"


@dataclasses.dataclass(frozen=True)
class Epc(Payload):
    """A SEPA credit transfer (EPC069-12 "girocode"). amount in euros, as
    "12.50", Decimal, int or float; stored as text with two decimals.
    text is the unstructured remittance information, reference the structured
    (ISO 11649 RF) one. version 2 (BIC optional in the EEA, default) or 1
    (BIC required)."""

    kind: ClassVar[str] = "epc"
    _spec: ClassVar[_Spec] = (
        ("name", "name", "str"), ("iban", "iban", "str"), ("bic", "bic", "ostr"),
        ("amount", "amount", "amount"), ("purpose", "purpose", "ostr"),
        ("reference", "reference", "ostr"), ("text", "text", "ostr"),
        ("info", "info", "ostr"), ("version", "version", "epcver"),
    )
    name: str
    iban: str
    bic: Optional[str] = None
    amount: Union[str, decimal.Decimal, int, float, None] = None
    purpose: Optional[str] = None
    reference: Optional[str] = None
    text: Optional[str] = None
    info: Optional[str] = None
    version: int = 2


@dataclasses.dataclass(frozen=True)
class Text(Payload):
    """Text of no known kind, kept as it is (what `parse` returns for it)."""

    kind: ClassVar[str] = "text"
    text: str

    def __post_init__(self) -> None:  # no Rust builder: any str is valid
        if not isinstance(self.text, str):
            raise TypeError(f"Text.text must be str, not {type(self.text).__name__}")
        object.__setattr__(self, "_text", self.text)
        object.__setattr__(self, "_ec", None)

    @classmethod
    def _parse_fields(cls, text: str) -> dict[str, Any]:
        return {"text": text}


_CLASSES = {c.kind: c for c in (Url, Geo, Sms, Tel, Email, Wifi, VCard, MeCard, Epc)}


def parse(text: str) -> Payload:
    """Classifies decoded text: a Url, Geo, Sms, Tel, Email, Wifi, VCard,
    MeCard or Epc, or Text when it is none of them (or one with invalid
    fields). Never raises for any str."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    kind, _text, canonical, _ec = _civiqr._payload_parse(text)
    cls = _CLASSES.get(kind)
    if cls is None:
        return Text(text)
    return cls(**_from_rust(cls._spec, canonical))


def from_fields(kind: str, fields: Union[Mapping[str, Any], Iterable[Tuple[str, Any]]]) -> Payload:
    """Builds a payload from field names as the CLI and CSV columns give them
    (see civiqr::payload::Payload::from_fields): e.g. ``from_fields("wifi",
    {"ssid": "x", "password": "y"})``; phone and email may repeat as pairs.
    Values are str (numbers and bools are converted); empty ones count as
    absent. Raises PayloadError for an unknown kind or field."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be str, not {type(kind).__name__}")
    items = fields.items() if isinstance(fields, Mapping) else fields
    pairs: list[Tuple[str, str]] = []
    for name, value in items:
        if not isinstance(name, str):
            raise TypeError(f"field names must be str, not {type(name).__name__}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float, decimal.Decimal)):
            value = str(value)
        elif value is None:
            continue
        elif not isinstance(value, str):
            raise TypeError(f"field {name!r} must be str or a number, not {type(value).__name__}")
        pairs.append((name, value))
    canonical_kind, _text, canonical, _ec = _civiqr._payload_build(kind, pairs)
    cls = _CLASSES[canonical_kind]
    return cls(**_from_rust(cls._spec, canonical))


def _type_error(obj: Payload, attr: str, want: str, value: Any) -> TypeError:
    return TypeError(f"{type(obj).__name__}.{attr} must be {want}, not {type(value).__name__}")


def _to_rust(obj: Payload, attr: str, how: str) -> Sequence[str]:
    """The Rust field values (zero, one or more strings) of one attribute."""
    value = getattr(obj, attr)
    if how in ("str", "ostr"):
        if value is None and how == "ostr":
            return ()
        if not isinstance(value, str):
            raise _type_error(obj, attr, "str" if how == "str" else "str or None", value)
        return (value,)
    if how in ("num", "onum"):
        if value is None and how == "onum":
            return ()
        if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
            raise _type_error(obj, attr, "a number", value)
        return (repr(float(value)),)
    if how == "flag":
        if not isinstance(value, bool):
            raise _type_error(obj, attr, "bool", value)
        return ("true" if value else "false",)
    if how == "many":
        if isinstance(value, str):
            value = (value,)
        try:
            items = tuple(value)
        except TypeError:
            raise _type_error(obj, attr, "a sequence of str", value) from None
        for item in items:
            if not isinstance(item, str):
                raise _type_error(obj, attr + " items", "str", item)
        return items
    if how == "amount":
        if value is None:
            return ()
        if isinstance(value, bool) or not isinstance(value, (str, int, float, decimal.Decimal)):
            raise _type_error(obj, attr, "str, int, float or Decimal", value)
        return (str(value),)
    if how == "epcver":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(obj, attr, "1 or 2", value)
        return (str(value),)
    raise AssertionError(how)


def _from_rust(spec: _Spec, canonical: Sequence[Tuple[str, str]]) -> dict[str, Any]:
    """Constructor keywords from the canonical Rust fields."""
    out: dict[str, Any] = {}
    for attr, name, how in spec:
        values = [v for n, v in canonical if n == name]
        if how == "many":
            out[attr] = tuple(values)
        elif not values:
            out[attr] = {"str": "", "flag": False, "epcver": 2}.get(how)
        elif how in ("num", "onum"):
            out[attr] = float(values[0])
        elif how == "flag":
            out[attr] = values[0] == "true"
        elif how == "epcver":
            out[attr] = int(values[0])
        else:
            out[attr] = values[0]
    return out
