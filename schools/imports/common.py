"""What every import format shares: row errors, streamed decoding, the CSV header, value parsers.

A format module turns a file into plain rows or a list of `RowError`s; it never writes. The
text of each error is a module constant here so tests and documentation can quote it.
"""

from __future__ import annotations

import codecs
import csv
import io
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO, Final

from schools.imports.input_rules import MAX_FIELD_CHARS, field_problem

# --- error texts (tests import these) -----------------------------------------------------
TOO_LARGE = "the file is {size:,} bytes; the largest file accepted is {limit:,} bytes"
EMPTY_FILE = "the file is empty"
NOT_UTF8 = (
    "the file is not UTF-8 text (byte 0x{byte:02X} cannot be read); "
    "save it as 'CSV UTF-8' and send it again"
)
BAD_CSV = "the file cannot be read as CSV ({detail})"
HAS_NUL = (
    "the file contains a NUL character (byte 0), which a text file never has; export it "
    "from your MIS again as CSV UTF-8"
)
MISSING_COLUMNS = "header: missing column(s): {columns}"
UNKNOWN_COLUMNS = "header: unknown column(s): {columns} (expected: {expected})"
DUPLICATE_COLUMNS = "header: column(s) named more than once: {columns}"
WRONG_FIELD_COUNT = "expected {expected} fields (one per header column), found {found}"
REQUIRED = "{column}: is required"
BAD_DATE = "{column}: {value!r} is not a date in the form YYYY-MM-DD"
BAD_BOOLEAN = "{column}: {value!r} is not one of Y, N, true, false, 1, 0 or blank"
BAD_CHOICE = "{column}: {value!r} is not one of {choices}"
TOO_LONG = "{column}: {value!r} is longer than {limit} characters"
OTHER_SCHOOL = "urn: {value!r} is not your school ({urn}); you can only send your own school's rows"
NO_SUCH_SCHOOL = "urn: no school has URN {value!r}"
DUPLICATE_ROW = "{what} already given on line {first} with different values"
LINE_TOO_LONG = (
    "the line is longer than {limit:,} characters, which no row of an import file comes near"
)
MORE_ERRORS = "... and {count:,} more errors"

# A file is read this many bytes at a time: memory follows a chunk, not the file (issue 15
# item 2). At most this many errors are kept and shown; the rest are only counted.
READ_CHUNK_BYTES: Final = 1 << 20
MAX_LINE_CHARS: Final = 1 << 20
MAX_STORED_ERRORS: Final = 10_000

TRUE_WORDS = frozenset({"y", "yes", "true", "1"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", ""})


@dataclass(frozen=True, order=True, slots=True)
class RowError:
    """One reason a file was refused, tied to the line it was found on (0 = the whole file)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class RowErrors:
    """A file's errors: every one counted, only the first `limit` by line kept. A file of a
    million bad rows never holds a million messages (issue 15 item 2); the first `limit` are
    the same ones a full sorted list would begin with."""

    def __init__(self, errors: Iterable[RowError] = (), *, limit: int = MAX_STORED_ERRORS) -> None:
        self.limit = limit
        self.count = 0
        self._kept: list[RowError] = []
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self.count += 1
        self._kept.append(error)
        if len(self._kept) >= 2 * self.limit:
            self._trim()

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def _trim(self) -> None:
        self._kept.sort()
        del self._kept[self.limit :]

    def kept(self) -> list[RowError]:
        """The first `limit` errors, by line."""
        self._trim()
        return list(self._kept)

    @property
    def more(self) -> int:
        """Errors counted but not kept."""
        return self.count - min(len(self._kept), self.limit)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[RowError]:
        return iter(self.kept())

    def __eq__(self, other: object) -> bool:  # compares with a list of errors, as it stood
        if isinstance(other, RowErrors):
            return (self.count, self.kept()) == (other.count, other.kept())
        return isinstance(other, list) and self.count == len(other) and self.kept() == other

    __hash__ = None  # type: ignore[assignment]


class ImportRefused(Exception):
    """Raised inside a format module when the file cannot be read at all."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass
class Counts:
    """Added / updated / unchanged per entity, in the shape stored on ImportBatch.counts."""

    data: dict[str, Any] = field(default_factory=dict)

    def add(self, entity: str, outcome: str, n: int = 1) -> None:
        bucket = self.data.setdefault(entity, {"added": 0, "updated": 0, "unchanged": 0})
        bucket[outcome] = bucket.get(outcome, 0) + n

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value

    def as_dict(self) -> dict[str, Any]:
        return dict(self.data)


def text_lines(source: BinaryIO) -> Iterator[str]:
    """The file's lines with their endings, as csv.reader wants them, decoded a chunk at a
    time: UTF-8 (a BOM is tolerated). A byte that is not UTF-8, a NUL (the database can store
    none in text) or an endless line refuses the file, naming its line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen = 0  # line ends read before this chunk
    pending = ""  # the start of a line the next chunk ends
    chunk = source.read(READ_CHUNK_BYTES).removeprefix(codecs.BOM_UTF8)
    while True:
        text = _decode_chunk(decoder, chunk, seen)
        lines = io.StringIO(pending + text, newline="").readlines()
        pending = lines.pop() if chunk and lines and not lines[-1].endswith("\n") else ""
        seen += text.count("\n")
        if len(pending) > MAX_LINE_CHARS:
            raise ImportRefused([RowError(seen + 1, LINE_TOO_LONG.format(limit=MAX_LINE_CHARS))])
        yield from lines
        if not chunk:
            return
        chunk = source.read(READ_CHUNK_BYTES)


def _decode_chunk(decoder: codecs.IncrementalDecoder, chunk: bytes, seen: int) -> str:
    try:
        text = decoder.decode(chunk, final=not chunk)
    except UnicodeDecodeError as exc:
        # exc.object is this chunk after at most three bytes of an unfinished character.
        line = seen + exc.object[: exc.start].count(b"\n") + 1
        raise ImportRefused([RowError(line, NOT_UTF8.format(byte=exc.object[exc.start]))]) from None
    nul = text.find("\x00")  # one pass in C
    if nul >= 0:
        raise ImportRefused([RowError(seen + text.count("\n", 0, nul) + 1, HAS_NUL)])
    return text


def _normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


@dataclass
class CsvTable:
    """A checked CSV: its header positions and an iterator over (line, fields) of data rows."""

    columns: dict[str, int]
    reader: Any

    def rows(self, errors: RowErrors | list[RowError]) -> Iterator[tuple[int, list[str]]]:
        """Data rows with their line numbers. Blank lines are skipped; a row with the wrong
        number of fields is reported in `errors` and not yielded."""
        width = len(self.columns)
        names = {i: name for name, i in self.columns.items()}
        reader = self.reader
        try:
            for fields in reader:
                if fields and max(map(len, fields)) > MAX_FIELD_CHARS:
                    at = next(i for i, f in enumerate(fields) if len(f) > MAX_FIELD_CHARS)
                    problem = field_problem(names.get(at, f"field {at + 1}"), fields[at])
                    errors.append(RowError(reader.line_num, str(problem)))
                    continue
                if len(fields) != width or not fields[0]:
                    if not "".join(fields).strip():
                        continue  # a blank line, or one of only commas
                    if len(fields) != width:
                        errors.append(
                            RowError(
                                reader.line_num,
                                WRONG_FIELD_COUNT.format(expected=width, found=len(fields)),
                            )
                        )
                        continue
                yield reader.line_num, fields
        except csv.Error as exc:
            raise ImportRefused([RowError(reader.line_num, BAD_CSV.format(detail=exc))]) from None

    def has(self, column: str) -> bool:
        return column in self.columns


def open_csv(
    source: BinaryIO | bytes, *, required: Sequence[str], optional: Sequence[str] = ()
) -> CsvTable:
    """Check the header row: every required column present, nothing unknown, nothing twice.
    The rows are then read from `source` as they are asked for (see `text_lines`)."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    reader = csv.reader(text_lines(stream))
    try:
        header: list[str] = []
        for fields in reader:
            if "".join(fields).strip():
                header = fields
                break
    except csv.Error as exc:
        raise ImportRefused([RowError(reader.line_num, BAD_CSV.format(detail=exc))]) from None
    if not header:
        raise ImportRefused([RowError(0, EMPTY_FILE)])
    line = reader.line_num
    names = [_normalise_header(h) for h in header]
    errors: list[RowError] = []
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        errors.append(RowError(line, DUPLICATE_COLUMNS.format(columns=", ".join(twice))))
    missing = [c for c in required if c not in names]
    if missing:
        errors.append(RowError(line, MISSING_COLUMNS.format(columns=", ".join(missing))))
    known = set(required) | set(optional)
    unknown = [n for n in names if n not in known]
    if unknown:
        errors.append(
            RowError(
                line,
                UNKNOWN_COLUMNS.format(
                    columns=", ".join(repr(u) for u in unknown),
                    expected=", ".join([*required, *optional]),
                ),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return CsvTable(columns={n: i for i, n in enumerate(names)}, reader=reader)


# --- value parsers: each returns the value or raises ValueError with the reason -----------
def parse_iso_date(column: str, value: str) -> date:
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(BAD_DATE.format(column=column, value=value)) from None


def parse_bool(column: str, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(BAD_BOOLEAN.format(column=column, value=value))


def parse_choice(column: str, value: str, choices: Sequence[tuple[str, str]]) -> str:
    """A model choice given by its value or its label, in any case."""
    word = value.strip().lower()
    for stored, label in choices:
        if word in (stored.lower(), str(label).lower()):
            return stored
    allowed = ", ".join(stored for stored, _ in choices)
    raise ValueError(BAD_CHOICE.format(column=column, value=value, choices=allowed))


def check_length(column: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(TOO_LONG.format(column=column, value=value, limit=limit))
    return value


# --- what a format module hands to the service -------------------------------------------
@dataclass
class Touched:
    """The schools, dates and pupils whose register an import changed."""

    dates: dict[int, set[date]] = field(default_factory=dict)  # school_id -> dates
    pupils: dict[int, set[int]] = field(default_factory=dict)  # school_id -> pupil ids

    def __bool__(self) -> bool:
        return bool(self.dates)


@dataclass
class Outcome:
    counts: dict[str, Any]
    rows_done: int
    touched: Touched = field(default_factory=Touched)


class Prepared(ABC):
    """A file read and validated whole. `preview()` says what `apply()` would change."""

    errors: RowErrors | list[RowError]
    rows_total: int
    # What the school should be told without refusing the file (line N: ...).
    warnings: list[RowError] = []

    @abstractmethod
    def preview(self) -> dict[str, Any]:
        """What applying the file would change, without writing."""

    @abstractmethod
    def apply(self, batch: Any) -> Outcome:
        """Write the file's changes; called inside the import's transaction."""

    def close(self) -> None:  # noqa: B027 - most formats hold nothing to release
        """Release anything held while the file was checked (temporary tables)."""


def check_school_scope(
    value: str, school: Any, errors: RowErrors | list[RowError], line: int
) -> bool:
    """For a school's own upload: every row must be that school's. True if the row may stay."""
    if school is not None and value != school.urn:
        errors.append(RowError(line, OTHER_SCHOOL.format(value=value, urn=school.urn)))
        return False
    return True
