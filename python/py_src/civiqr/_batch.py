"""civiqr.batch: a signage batch, as `civiqr batch` runs it (the same files,
manifests and row errors). Conversions only; the compiled module does the run."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable, Iterable, Literal, Mapping, Optional, Sequence, Union

from . import _civiqr
from ._errors import BatchError
from ._sign import SigningKey, load_key

__all__ = ["BatchReport", "RowError", "batch"]


@dataclasses.dataclass(frozen=True)
class RowError:
    """A row refused when read, or whose files could not be written."""

    file: Optional[str]
    """The table file's name as given; None for rows given as mappings."""
    sheet: Optional[str]
    """The sheet of a workbook; None for CSV and mappings."""
    line: int
    """The row's line: in a CSV file where it starts, in a workbook the row
    number shown; for mappings, index + 2 (as if the header were line 1)."""
    column: Optional[str]
    """The column at fault (lowercase, as in the header), when it is one."""
    problem: str
    """What is wrong, as `civiqr batch` prints it after the line."""
    message: str
    """Where and what: 'assets.csv line 4 column "iban": iban: check digits ...'."""


@dataclasses.dataclass(frozen=True)
class BatchReport:
    """What a batch did."""

    rows_done: int
    """Rows whose files are written (or already were) and are in the manifest."""
    files_written: list[str]
    """Files written because they were new or changed (names in `out`)."""
    unchanged: int
    """Files left as they were, already holding the same bytes."""
    row_errors: list[RowError]
    """Rows refused or failed, by line."""
    warnings: list[str]
    """Warnings (print size against reading distance, sheet characters shown as '?')."""
    read_as: Optional[str]
    """How the table file was read: 'CSV, ';'-separated, Windows-1252 (detected)'."""

    @property
    def ok(self) -> bool:
        """True when no row was refused."""
        return not self.row_errors


_Rows = Iterable[Mapping[str, Any]]
_Source = Union[str, "os.PathLike[str]", bytes, _Rows]


def batch(rows_or_path: _Source, *, out: Union[str, "os.PathLike[str]"],
          formats: Union[str, Sequence[str], None] = None, template: Optional[str] = None,
          sign_key: Union[SigningKey, str, "os.PathLike[str]", None] = None,
          sheet: Optional[Literal["a4", "a3", "letter"]] = None, progress: Optional[Callable[[int, int, int], Any]] = None,
          **options: Any) -> BatchReport:
    """Writes every row's symbol files, manifest.csv, manifest.json and
    (with `sheet`) sheet-PAPER.pdf into `out`, as `civiqr batch` does.

    rows_or_path: a table file's path (CSV or .xlsx/.xls/.ods), its bytes,
    or an iterable of mappings (column -> value; values made str, None
    empty; the columns are the first row's keys, then new keys in order).
    formats: "svg,png" or a list of svg, png, pdf, eps (default svg and png).
    sign_key: a SigningKey or a key file's path. progress(done, total,
    failed) is called after each row; an exception it raises stops the run
    (rows under way finish, no manifest is written) and is re-raised.
    Other keywords: grid ("3x7"), grid_margins, grid_gutter ((mm, mm)),
    ec, max_version, quiet_zone, scale, dpi, size_mm, reading_distance
    (metres or "2.5m"), verify (True), grade (False: grade each PNG raster
    and record it in the manifests' grade column), jobs, delimiter,
    encoding, sheet_name.

    Raises OSError subclasses for an unreadable file, civiqr.BatchError for
    an unusable table, a sheet that does not fit, an output folder another
    batch is writing to, or a manifest that could not be written (its
    `report` attribute then holds the report).
    """
    names: Optional[list[str]]
    if isinstance(formats, str):
        names = [f for f in formats.split(",") if f.strip()]
    else:
        names = None if formats is None else list(formats)
    if isinstance(sign_key, (str, os.PathLike)):
        sign_key = load_key(sign_key)
    table: Any
    if isinstance(rows_or_path, (str, os.PathLike)):
        table = os.fspath(rows_or_path)
    elif isinstance(rows_or_path, (bytes, bytearray, memoryview)):
        table = bytes(rows_or_path)
        options.setdefault("name", "table")
    else:
        table = _records(rows_or_path)
    raw = _civiqr._batch(table, os.fspath(out), formats=names, template=template,
                         sign_key=sign_key, sheet=sheet, progress=progress, **options)
    report = BatchReport(
        rows_done=raw["rows_done"], files_written=list(raw["files_written"]),
        unchanged=raw["unchanged"], row_errors=[RowError(**e) for e in raw["row_errors"]],
        warnings=list(raw["warnings"]), read_as=raw["read_as"])
    if raw["output_errors"]:
        name, reason = raw["output_errors"][0]
        err = BatchError(f"cannot write {os.path.join(os.fspath(out), name)}: {reason}")
        err.report = report
        raise err
    return report


def _records(rows: _Rows) -> tuple[list[str], list[list[str]]]:
    """A header (the first row's keys, then new keys in order) and each
    row's values under it as str, missing and None values empty."""
    header: list[str] = []
    seen: set[str] = set()
    listed = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise TypeError(f"rows must be mappings (column -> value), not {type(row).__name__}")
        for key in row:
            if not isinstance(key, str):
                raise TypeError(f"column names must be str, not {type(key).__name__}")
            if key not in seen:
                seen.add(key)
                header.append(key)
        listed.append(row)
    values = [["" if row.get(k) is None else str(row.get(k)) for k in header] for row in listed]
    return header, values
