"""civiqr.audit: a crew's photos of signs graded, matched to the batch
manifest and checked against a trust list, as `civiqr audit` does (statuses,
thresholds and limits: docs/AUDIT.md). The work is civiqr::audit's; this
module checks arguments and turns results into frozen dataclasses, which
pickle, so photos can be audited in other processes or on other machines
(python/examples/scale_out.py) and brought together by mark_duplicates."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import os
from typing import Any, Callable, Iterable, Literal, Optional, Sequence, Union

from . import _civiqr
from ._civiqr import Manifest
from ._errors import AuditError
from ._grade import _measuring
from ._sign import TrustList, load_trust

__all__ = ["AuditResult", "AuditRow", "AuditSummary", "CodeAudit", "Manifest", "PhotoAudit",
           "Thresholds", "audit", "audit_csv", "audit_html", "audit_json", "audit_photo",
           "audit_rows", "list_photos", "mark_duplicates", "write_audit"]

_Path = Union[str, "os.PathLike[str]"]

DEFAULT_TITLE = "Field audit of printed codes"


@dataclasses.dataclass(frozen=True)
class AuditRow:
    """One line of the audit: a code in a photo, or a photo where none was read."""

    file: str
    """The photo, as given."""
    code: Optional[int]
    """The code's index in the photo (reading order, from 0); None for an unreadable photo."""
    id: Optional[str]
    """The manifest id the payload matched."""
    status: Literal["ok", "watch", "replace", "unreadable", "unknown", "bad_signature", "duplicate"]
    grade: Optional[float]
    """The overall grade, 4.0 (A) to 0.0 (F)."""
    letter: Optional[str]
    ec_used: Optional[float]
    """The largest share of a block's error correction used, 0..1."""
    ec_block: Optional[int]
    """That block, from 1."""
    wrong_modules: Optional[int]
    """Modules that read the wrong colour."""
    signature: Optional[str]
    """"valid", "invalid", "unknown_key", "expired" or "unsigned" when a trust list was given."""
    payload: Optional[str]
    reason: str
    """Why, in words."""


@dataclasses.dataclass(frozen=True)
class CodeAudit:
    """A code in a photo: its row and, when pictures were asked for, the
    symbol with its damage drawn (a data:image/png;base64 URI)."""

    row: AuditRow
    picture: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class PhotoAudit:
    """One photo audited; `error` says why it could not be read."""

    file: str
    error: Optional[str]
    thumbnail: Optional[str]
    """A data:image/jpeg;base64 URI when pictures were asked for."""
    codes: tuple[CodeAudit, ...]

    @property
    def rows(self) -> list[AuditRow]:
        """One row per code, or one "unreadable" row."""
        return audit_rows([self])


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """When a genuine code is fine, to watch or to replace: the worse of what
    its overall grade (0-4, 4 = A) and its error-correction use say."""

    ok_min_grade: int = 3
    """Grades from this are fine."""
    replace_max_grade: int = 0
    """Grades at or below this are to replace."""
    watch_ec_used: float = 0.25
    """A block with this share of its error correction used is to watch."""
    replace_ec_used: float = 0.5
    """... and with this share, to replace."""

    def __post_init__(self) -> None:
        for name in ("ok_min_grade", "replace_max_grade"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int 0-4, not {type(value).__name__}")
            if not 0 <= value <= 4:
                raise AuditError(f"thresholds: {name} must be 0-4, not {value}")
        for name in ("watch_ec_used", "replace_ec_used"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number 0-1, not {type(value).__name__}")
        _civiqr._check_thresholds(self._limits())

    def _limits(self) -> tuple[int, int, float, float]:
        return (self.ok_min_grade, self.replace_max_grade, float(self.watch_ec_used),
                float(self.replace_ec_used))


@dataclasses.dataclass(frozen=True)
class AuditSummary:
    """How many rows have each status."""

    photos: int
    codes: int
    ok: int
    watch: int
    replace: int
    unreadable: int
    unknown: int
    bad_signature: int
    duplicate: int

    @staticmethod
    def of(photos: Iterable[PhotoAudit]) -> AuditSummary:
        return AuditSummary(**_civiqr._audit_summary(_states(photos)))

    @property
    def suspect(self) -> int:
        """Possible fraudulent stickers: unknown and bad_signature rows."""
        return self.unknown + self.bad_signature

    @property
    def needs_attention(self) -> bool:
        """Whether any row is neither ok nor duplicate (the CLI then exits 1)."""
        return self.watch + self.replace + self.unreadable + self.suspect > 0


@dataclasses.dataclass(frozen=True)
class AuditResult:
    """What civiqr.audit did: every photo, duplicates marked, in the order listed."""

    photos: list[PhotoAudit]
    summary: AuditSummary

    @property
    def rows(self) -> list[AuditRow]:
        return audit_rows(self.photos)


def audit_photo(
    photo: Union[_Path, bytes],
    manifest: Manifest,
    *,
    trust: Optional[TrustList] = None,
    today: Optional[datetime.date] = None,
    thresholds: Optional[Thresholds] = None,
    pictures: bool = False,
    thumbnail_px: int = 320,
    name: Optional[str] = None,
    aperture_px: Optional[float] = None,
    aperture_modules: Optional[float] = None,
    calibration: Optional[tuple[tuple[int, float], tuple[int, float]]] = None,
) -> PhotoAudit:
    """Audit one photo (a path, read here without the GIL, or the bytes of an
    image file, named `name` in the rows) against `manifest` and, when given,
    `trust`. Signatures are checked as on `today` (default: today's UTC date).
    `pictures` adds the thumbnail and symbol pictures the HTML report shows.

    A photo that cannot be read or holds no code is not an error: its
    PhotoAudit has `error` set or no codes, and one "unreadable" row. Duplicates
    are marked only by mark_duplicates, over all the photos."""
    settings = _settings(manifest, trust, today, thresholds, pictures, thumbnail_px,
                         aperture_px, aperture_modules, calibration)
    if isinstance(photo, (bytes, bytearray, memoryview)):
        return _photo(_civiqr._audit_bytes(name or "<bytes>", bytes(photo), manifest, trust,
                                           settings))
    if not isinstance(photo, (str, os.PathLike)):
        raise TypeError(f"photo must be a path or bytes, not {type(photo).__name__}")
    if name is not None:
        raise TypeError("name is for photos given as bytes; a path names itself")
    return _photo(_civiqr._audit_path(os.fsdecode(photo), manifest, trust, settings))


def mark_duplicates(photos: Iterable[PhotoAudit]) -> list[PhotoAudit]:
    """The photos again, repeated sightings of a manifest id marked
    "duplicate" (the best-graded sighting keeps its status). Give it every
    photo of the audit at once."""
    return [_photo(d) for d in _civiqr._mark_duplicates(_states(photos))]


def audit_rows(photos: Iterable[PhotoAudit]) -> list[AuditRow]:
    """Every photo's rows, in the photos' order."""
    return [AuditRow(**r) for r in _civiqr._audit_rows(_states(photos))]


def audit_csv(photos: Iterable[PhotoAudit]) -> str:
    """The rows as `civiqr audit --csv` writes them (CRLF line ends: write the
    text with newline="", or use write_audit)."""
    return _civiqr._audit_text(_states(photos), "csv")


def audit_json(photos: Iterable[PhotoAudit]) -> str:
    """The rows as `civiqr audit --json` writes them."""
    return _civiqr._audit_text(_states(photos), "json")


def audit_html(photos: Iterable[PhotoAudit], title: str = DEFAULT_TITLE) -> str:
    """The report as `civiqr audit --report` writes it (one self-contained page;
    audit with pictures=True to show the photos and symbols)."""
    return _civiqr._audit_text(_states(photos), "html", title)


def write_audit(photos: Iterable[PhotoAudit], *, report: Optional[_Path] = None,
                csv: Optional[_Path] = None, json: Optional[_Path] = None,
                title: str = DEFAULT_TITLE) -> None:
    """Write the HTML report, CSV and JSON asked for, each replaced atomically,
    with the same bytes as `civiqr audit` writes."""
    paths = {k: None if v is None else os.fsdecode(v)
             for k, v in (("report", report), ("csv", csv), ("json", json))}
    _civiqr._audit_write(_states(photos), title=title, **paths)


def list_photos(*paths: _Path) -> list[str]:
    """The photos `civiqr audit` would audit for these arguments, in its order:
    files as given, folders expanded to their image files (by extension,
    recursively, hidden names skipped), each folder's sorted. Raises OSError
    naming a folder that cannot be read."""
    return [os.fspath(p) for p in _civiqr._list_photos([os.fsdecode(p) for p in paths])]


def audit(
    paths: Union[_Path, Sequence[_Path]],
    *,
    manifest: Union[Manifest, _Path],
    trust: Union[TrustList, _Path, Sequence[_Path], None] = None,
    report: Optional[_Path] = None,
    csv: Optional[_Path] = None,
    json: Optional[_Path] = None,
    title: str = DEFAULT_TITLE,
    today: Optional[datetime.date] = None,
    thresholds: Optional[Thresholds] = None,
    jobs: Optional[int] = None,
    progress: Optional[Callable[[int, int, int], Any]] = None,
    aperture_px: Optional[float] = None,
    aperture_modules: Optional[float] = None,
    calibration: Optional[tuple[tuple[int, float], tuple[int, float]]] = None,
) -> AuditResult:
    """`civiqr audit` from Python: audit the photos (files, or folders listed
    as list_photos does) on `jobs` threads (default: one per CPU), mark the
    duplicates, write the report / CSV / JSON asked for (the CLI's bytes), and
    return every photo and the summary. `manifest` and `trust` are objects or
    files; `progress(done, total, unreadable)` is called after each photo.

    Raises OSError or civiqr.ManifestError for a manifest that cannot be read,
    OSError or civiqr.TrustError for trust files; never for a photo."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = list_photos(*paths)
    if not isinstance(manifest, Manifest):
        manifest = Manifest.load(os.fsdecode(manifest))
    if trust is not None and not isinstance(trust, TrustList):
        trust = load_trust(*([trust] if isinstance(trust, (str, os.PathLike)) else trust))
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ValueError(f"jobs must be a positive int, not {jobs!r}")
    settings = _settings(manifest, trust, today, thresholds, report is not None, 320,
                         aperture_px, aperture_modules, calibration)
    found: list[Optional[PhotoAudit]] = [None] * len(files)

    def one(path: str) -> PhotoAudit:
        return _photo(_civiqr._audit_path(path, manifest, trust, settings))

    with concurrent.futures.ThreadPoolExecutor(jobs or os.cpu_count() or 1) as pool:
        index = {pool.submit(one, f): i for i, f in enumerate(files)}
        unreadable = 0
        try:
            for done, future in enumerate(concurrent.futures.as_completed(index), 1):
                photo = found[index[future]] = future.result()
                unreadable += not photo.codes
                if progress is not None:
                    progress(done, len(files), unreadable)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    photos = mark_duplicates(p for p in found if p is not None)
    write_audit(photos, report=report, csv=csv, json=json, title=title)
    return AuditResult(photos, AuditSummary.of(photos))


def _settings(manifest: Manifest, trust: Optional[TrustList], today: Optional[datetime.date],
              thresholds: Optional[Thresholds], pictures: bool, thumbnail_px: int,
              aperture_px: Optional[float], aperture_modules: Optional[float],
              calibration: Optional[tuple[tuple[int, float], tuple[int, float]]]) -> dict[str, Any]:
    """The keywords of _civiqr._audit_path, type-checked."""
    if not isinstance(manifest, Manifest):
        raise TypeError(f"manifest must be a civiqr.Manifest, not {type(manifest).__name__}")
    if trust is not None and not isinstance(trust, TrustList):
        raise TypeError(f"trust must be a civiqr.TrustList or None, not {type(trust).__name__}")
    if today is None:
        today = datetime.datetime.now(datetime.timezone.utc).date()
    elif not isinstance(today, datetime.date):
        raise TypeError(f"today must be a datetime.date, not {type(today).__name__}")
    if thresholds is None:
        thresholds = Thresholds()
    elif not isinstance(thresholds, Thresholds):
        raise TypeError(f"thresholds must be civiqr.Thresholds, not {type(thresholds).__name__}")
    if not isinstance(pictures, bool):
        raise TypeError("pictures must be a bool")
    if isinstance(thumbnail_px, bool) or not isinstance(thumbnail_px, int) or thumbnail_px < 16:
        raise ValueError(f"thumbnail_px must be an int of at least 16, not {thumbnail_px!r}")
    settings: dict[str, Any] = {"aperture_px": None, "aperture_modules": None, "calibration": None}
    settings.update(_measuring(aperture_px, aperture_modules, calibration))
    settings.update(today=(today.year, today.month, today.day), thresholds=thresholds._limits(),
                    pictures=pictures, thumbnail_px=thumbnail_px)
    return settings


def _photo(d: dict[str, Any]) -> PhotoAudit:
    codes = tuple(CodeAudit(AuditRow(**c["row"]), c["picture"]) for c in d["codes"])
    return PhotoAudit(d["file"], d["error"], d["thumbnail"], codes)


def _states(photos: Iterable[PhotoAudit]) -> list[dict[str, Any]]:
    """The photos as the plain data civiqr::audit reads back."""
    out = []
    for p in photos:
        if not isinstance(p, PhotoAudit):
            raise TypeError(f"photos must be civiqr.PhotoAudit, not {type(p).__name__}")
        codes = [{"row": vars(c.row), "picture": c.picture} for c in p.codes]
        out.append({"file": p.file, "error": p.error, "thumbnail": p.thumbnail, "codes": codes})
    return out
