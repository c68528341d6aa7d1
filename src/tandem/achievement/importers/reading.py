"""Reading delimited text files the way people actually send them: with or without a byte-order
mark, CRLF or LF line ends, comma, caret, tab or pipe delimiters, blank lines, quoted fields.

Lines are decoded one at a time so that a byte that is not valid in the file's encoding is
reported on its own row, and the file is never held in memory whole.
"""

import codecs
import csv
import queue
import re
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tandem.achievement.importers.report import Report

csv.field_size_limit(1 << 20)


@dataclass
class Row:
    line: int
    values: dict[str, str]


class Unreadable(Exception):
    """The file cannot be read at all; the report already says why."""


_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _physical_lines(raw: BinaryIO) -> Iterator[bytes]:
    """Lines ending in LF or CRLF, and also those of old Mac files that end in a lone CR."""
    for chunk in raw:
        if b"\r" in chunk:
            yield from (piece for piece in _LONE_CR.split(chunk) if piece)
        else:
            yield chunk


def _lines(raw: BinaryIO, encoding: str, report: Report, nul_lines: set[int], first_line: int = 1) -> Iterator[str]:
    decoder_name = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    # Only the file's first line may start with a byte-order mark.
    first = first_line == 1
    for number, chunk in enumerate(_physical_lines(raw), start=first_line):
        report.bytes_read += len(chunk)
        try:
            text = codecs.decode(chunk, decoder_name if first else decoder_name.replace("-sig", ""))
        except UnicodeDecodeError as e:
            bad = chunk[e.start : e.start + 1]
            hint = (
                " It looks like Latin-1/Windows-1252: save the file as UTF-8, or give its encoding."
                if bad >= b"\x80"
                else ""
            )
            report.error(
                number,
                None,
                None,
                f"bad encoding: byte 0x{bad.hex().upper()} at position {e.start + 1} is not valid {encoding}.{hint}",
            )
            raise Unreadable from e
        first = False
        if "\x00" in text:
            nul_lines.add(number)
        yield text


def sniff_delimiter(header: str, known_columns: set[str], allowed: str) -> str | None:
    """The allowed delimiter that splits the header into the most known column names."""
    best, best_hits = None, 0
    for delimiter in allowed:
        names = {c.strip().strip('"').upper() for c in header.split(delimiter)}
        hits = len(names & known_columns)
        if hits > best_hits:
            best, best_hits = delimiter, hits
    return best


@dataclass
class Header:
    columns: list[str]
    delimiter: str
    line: int  # the header's line number
    offset: int  # where the first data line starts, in bytes


def _read_header(
    raw: BinaryIO,
    path: Path,
    report: Report,
    known_columns: set[str],
    required_columns: set[str],
    delimiters: str,
    encoding: str,
    rename: dict[str, str] | None,
) -> Header:
    """The first non-blank line, checked: its delimiter, known and required columns."""
    if path.stat().st_size == 0:
        report.error(None, None, None, "the file is empty (0 bytes)")
        raise Unreadable
    rename = {k.upper(): v.upper() for k, v in (rename or {}).items()}
    lines = _lines(raw, encoding, report, set())
    header_line, header_no = None, 0
    for header_no, text in enumerate(lines, start=1):  # noqa: B007 - the number is used below
        if text.strip():
            header_line = text
            break
    if header_line is None:
        report.error(None, None, None, "the file has no header row: it holds only blank lines")
        raise Unreadable
    delimiter = sniff_delimiter(header_line, known_columns | set(rename), delimiters)
    if delimiter is None:
        shown = ", ".join(repr(d) for d in delimiters)
        report.error(
            header_no,
            None,
            header_line.strip()[:120],
            f"none of the expected columns were found with the delimiters {shown}; "
            f"expected columns such as {', '.join(sorted(required_columns)[:4])}",
        )
        raise Unreadable
    try:
        header = next(csv.reader([header_line], delimiter=delimiter, strict=True))
    except csv.Error as e:
        report.error(header_no, None, None, f"the header row is malformed: {e}")
        raise Unreadable from e
    columns = [rename.get(c.strip().upper(), c.strip().upper()) for c in header]
    seen: set[str] = set()
    for c in columns:
        if c in seen and c:
            report.error(header_no, c, None, "the column appears twice in the header")
        seen.add(c)
    for missing in sorted(required_columns - set(columns)):
        report.error(header_no, missing, None, "missing column")
    for extra in [c for c in columns if c not in known_columns]:
        report.warn(header_no, extra or "(blank)", None, "column not used by this format; it was ignored")
    if not report.ok:
        raise Unreadable
    return Header(columns, delimiter, header_no, report.bytes_read)


def _python_rows(
    lines: Iterator[str], header: Header, first_line: int, report: Report, nul_lines: set[int]
) -> Iterator[Row]:
    """Rows as Python's csv module reads them, every problem reported on its own line."""
    columns, width = header.columns, len(header.columns)
    reader = csv.reader(lines, delimiter=header.delimiter, strict=True)
    try:
        for fields in reader:
            line = reader.line_num + first_line - 1
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) != width:
                cut = " (the line may be cut short)" if len(fields) < width else ""
                report.error(line, None, None, f"expected {width} fields, found {len(fields)}{cut}")
                continue
            if nul_lines and any("\x00" in f for f in fields):
                column = columns[next(i for i, f in enumerate(fields) if "\x00" in f)]
                report.error(line, column, None, "the value holds a NUL character: the file may be damaged")
                continue
            yield Row(line, dict(zip(columns, fields, strict=True)))
    except csv.Error as e:
        reason = "a quoted value opened here is never closed" if "unexpected end" in str(e) else str(e)
        report.error(reader.line_num + first_line - 1, None, None, f"the file is malformed here: {reason}")


def read_rows(
    path: Path,
    report: Report,
    *,
    known_columns: set[str],
    required_columns: set[str],
    delimiters: str = ",\t|",
    encoding: str = "utf-8",
    rename: dict[str, str] | None = None,
) -> Iterator[Row]:
    """Yield each data row as {COLUMN: value}. Problems go to the report; a file that cannot be
    read at all (empty, no known columns, bad encoding) raises Unreadable after reporting it."""
    with path.open("rb") as raw:
        header = _read_header(raw, path, report, known_columns, required_columns, delimiters, encoding, rename)
        raw.seek(header.offset)
        # Fields are searched for NUL bytes only once some line of the file has shown one.
        nul_lines: set[int] = set()
        lines = _lines(raw, encoding, report, nul_lines, first_line=header.line + 1)
        produced = 0
        for row in _python_rows(lines, header, header.line + 1, report, nul_lines):
            produced += 1
            yield row
        if produced == 0 and report.ok:
            report.error(None, None, None, "the file has a header but no data rows")


FRAME_BYTES = 16 << 20
_DONE = object()


def read_ahead[T](items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """The items, produced on a second thread up to `depth` ahead of the caller: Polars reads and
    checks the next stretch of a file while the database takes the last one. The producer must
    not use the database (connections belong to their thread). An exception it raises comes out
    here, in order; if the caller stops early, the producer stops too."""
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as e:  # handed to the caller, who raises it
            offer(e)
            return
        offer(_DONE)

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


def read_frames(
    path: Path,
    report: Report,
    *,
    known_columns: set[str],
    required_columns: set[str],
    delimiters: str = ",\t|",
    encoding: str = "utf-8",
    rename: dict[str, str] | None = None,
    frame_bytes: int = FRAME_BYTES,
) -> Iterator[pl.DataFrame]:
    """The data rows a few megabytes at a time, as frames of text columns (the known columns the
    file has) plus `line`, the row's line number in the file. Problems are reported exactly as
    read_rows reports them.

    Plain stretches of the file (no quotes, NUL bytes, lone CRs, blank or ragged lines, and valid
    in the file's encoding) are split into fields by Polars. From the first stretch that is not
    plain to the end of the file, Python's csv module reads line by line, so that a quoted value
    may span lines and every problem is reported on its own row."""
    with path.open("rb") as raw:
        header = _read_header(raw, path, report, known_columns, required_columns, delimiters, encoding, rename)
        keep = [c for c in header.columns if c in known_columns]
        # Polars needs a distinct name for every column, even those that are ignored.
        names = [c if c in known_columns else f"_ignored_{i}" for i, c in enumerate(header.columns)]
        raw.seek(header.offset)
        offset, next_line, produced = header.offset, header.line + 1, 0
        carry = b""
        while True:
            block = raw.read(frame_bytes)
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # a line longer than the block: read on
                    carry = data
                    continue
                chunk, carry = data[:cut], data[cut:]
            else:
                chunk, carry = data, b""
            if not chunk:
                break
            frame = _plain_frame(chunk, header, names, encoding)
            if frame is None:
                raw.seek(offset)
                report.bytes_read = offset
                produced += yield from _python_frames(raw, header, keep, next_line, encoding, report)
                break
            lines = frame.height
            frame = frame.select(keep).with_columns(line=pl.int_range(next_line, next_line + lines, dtype=pl.Int64))
            offset += len(chunk)
            report.bytes_read = offset
            next_line += lines
            produced += lines
            yield frame
            if not block:
                break
        if produced == 0 and report.ok:
            report.error(None, None, None, "the file has a header but no data rows")


def _plain_frame(chunk: bytes, header: Header, names: list[str], encoding: str) -> pl.DataFrame | None:
    """The chunk's rows if it is plain (see read_frames), else None."""
    if b'"' in chunk or b"\x00" in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
        return None
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        if not chunk.isascii():
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return None
    else:
        try:
            chunk = chunk.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            return None
    lines = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
    # Polars fails on a line with too many fields, so if the total is right no line has too few.
    if chunk.count(header.delimiter.encode("utf-8")) != lines * (len(names) - 1):
        return None
    try:
        frame = pl.read_csv(
            chunk,
            has_header=False,
            separator=header.delimiter,
            new_columns=names,
            schema=dict.fromkeys(names, pl.String),
            quote_char=None,
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError:
        return None
    return frame if frame.height == lines else None


def _python_frames(
    raw: BinaryIO, header: Header, keep: list[str], first_line: int, encoding: str, report: Report, size: int = 50_000
) -> Generator[pl.DataFrame, None, int]:
    nul_lines: set[int] = set()
    lines = _lines(raw, encoding, report, nul_lines, first_line=first_line)
    batch: list[Row] = []
    produced = 0
    try:
        for row in _python_rows(lines, header, first_line, report, nul_lines):
            batch.append(row)
            if len(batch) >= size:
                produced += len(batch)
                yield _frame_of(batch, keep)
                batch = []
    except Unreadable:
        # The rows before an unreadable line are still rows of the file, as read_rows gives them.
        if batch:
            yield _frame_of(batch, keep)
        raise
    if batch:
        produced += len(batch)
        yield _frame_of(batch, keep)
    return produced


def _frame_of(rows: list[Row], keep: list[str]) -> pl.DataFrame:
    data: dict[str, list[object]] = {c: [r.values[c] for r in rows] for c in keep}
    data["line"] = [r.line for r in rows]
    return pl.DataFrame(data, schema={**dict.fromkeys(keep, pl.String), "line": pl.Int64})
