"""Reading delimited text files the way people actually send them: with or without a byte-order
mark, CRLF or LF line ends, comma, caret, tab or pipe delimiters, blank lines, quoted fields.

Lines are decoded one at a time so that a byte that is not valid in the file's encoding is
reported on its own row, and the file is never held in memory whole.
"""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


def _lines(raw: BinaryIO, encoding: str, report: Report, nul_lines: set[int]) -> Iterator[str]:
    decoder_name = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    first = True
    for number, chunk in enumerate(_physical_lines(raw), start=1):
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
    rename = {k.upper(): v.upper() for k, v in (rename or {}).items()}
    if path.stat().st_size == 0:
        report.error(None, None, None, "the file is empty (0 bytes)")
        raise Unreadable
    with path.open("rb") as raw:
        # Fields are searched for NUL bytes only once some line of the file has shown one.
        nul_lines: set[int] = set()
        lines = _lines(raw, encoding, report, nul_lines)
        header_line, header_no = None, 0
        for header_no, text in enumerate(lines, start=1):  # noqa: B007 - the number is used below
            if text.strip():
                header_line = text
                break
        if header_line is None:
            report.error(None, None, None, "the file has no header row: it holds only blank lines")
            raise Unreadable
        mapped_known = known_columns | set(rename)
        delimiter = sniff_delimiter(header_line, mapped_known, delimiters)
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
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        width = len(columns)
        produced = 0
        try:
            for fields in reader:
                line = reader.line_num + header_no
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
                produced += 1
                yield Row(line, dict(zip(columns, fields, strict=True)))
        except csv.Error as e:
            reason = "a quoted value opened here is never closed" if "unexpected end" in str(e) else str(e)
            report.error(reader.line_num + header_no, None, None, f"the file is malformed here: {reason}")
        if produced == 0 and report.ok:
            report.error(None, None, None, "the file has a header but no data rows")
