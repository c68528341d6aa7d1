"""The fast column-wise reader must see a file exactly as the line-by-line reader does: the same
rows on the same line numbers and the same problems, wherever in the file a nasty line falls.
Small frames make each file span many of them, so a nasty line lands mid-file."""

import contextlib
from pathlib import Path

import polars as pl
import pytest

from tandem.achievement.importers.reading import Unreadable, read_frames, read_rows
from tandem.achievement.importers.report import Report

KNOWN = {"ID", "NAME", "SCORE"}
REQUIRED = {"ID", "SCORE"}


def _plain(n: int, start: int = 1) -> list[bytes]:
    return [f"{i},Name {i},{2400 + i}\n".encode() for i in range(start, start + n)]


HEADER = b"ID,NAME,SCORE\n"

BODIES = {
    "plain": b"".join(_plain(60)),
    "plain without a final line end": b"".join(_plain(60)).rstrip(b"\n"),
    "crlf": b"".join(line.replace(b"\n", b"\r\n") for line in _plain(60)),
    "blank line mid-file": b"".join([*_plain(30), b"\n", b"   \n", *_plain(30, 31)]),
    "quoted value spanning lines": b"".join([*_plain(30), b'31,"Name\non two lines",2431\n', *_plain(29, 32)]),
    "quoted value with a comma": b"".join([*_plain(30), b'31,"Ruiz, Ana",2431\n', *_plain(29, 32)]),
    "short line": b"".join([*_plain(30), b"31,2431\n", *_plain(29, 32)]),
    "long line": b"".join([*_plain(30), b"31,Ana,2431,extra\n", *_plain(29, 32)]),
    "short and long lines that even out": b"".join([*_plain(30), b"31,2431\n", b"32,Ana,2432,x\n", *_plain(28, 33)]),
    "latin-1 byte mid-file": b"".join([*_plain(30), "31,Nuñez,2431\n".encode("latin-1"), *_plain(29, 32)]),
    "utf-8 accents": b"".join([*_plain(30), "31,Nuñez,2431\n".encode(), *_plain(29, 32)]),
    "NUL byte": b"".join([*_plain(30), b"31,Di\x00az,2431\n", *_plain(29, 32)]),
    "lone CR line ends": b"".join(line.replace(b"\n", b"\r") for line in _plain(60)),
    "truncated last line": b"".join(_plain(60)) + b"61,Na",
    "unclosed quote": b"".join([*_plain(30), b'31,"Ana,2431\n', *_plain(29, 32)]),
}


def _by_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    report = Report(file="f.csv")
    rows = []
    with contextlib.suppress(Unreadable):
        for r in read_rows(path, report, known_columns=KNOWN, required_columns=REQUIRED):
            rows.append((r.line, r.values))
    return rows, report.lines()


def _by_frames(path: Path, frame_bytes: int) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    report = Report(file="f.csv")
    rows = []
    with contextlib.suppress(Unreadable):
        for frame in read_frames(path, report, known_columns=KNOWN, required_columns=REQUIRED, frame_bytes=frame_bytes):
            for record in frame.iter_rows(named=True):
                line = record.pop("line")
                rows.append((line, record))
    return rows, report.lines()


@pytest.mark.parametrize("body", list(BODIES), ids=list(BODIES))
@pytest.mark.parametrize("frame_bytes", [64, 300, 1 << 20])
def test_frames_match_the_line_by_line_reading(tmp_path: Path, body: str, frame_bytes: int) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER + BODIES[body])
    expected_rows, expected_report = _by_rows(path)
    rows, report = _by_frames(path, frame_bytes)
    assert report == expected_report
    assert rows == expected_rows
    assert rows or report


def test_a_plain_file_is_read_by_polars_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"\n" + HEADER + b"".join(_plain(5)))
    frames = list(read_frames(path, Report(file="f.csv"), known_columns=KNOWN, required_columns=REQUIRED))
    assert len(frames) == 1
    assert frames[0].schema == pl.Schema({"ID": pl.String, "NAME": pl.String, "SCORE": pl.String, "line": pl.Int64})
    assert frames[0]["line"].to_list() == [3, 4, 5, 6, 7]
    assert frames[0]["SCORE"].to_list() == ["2401", "2402", "2403", "2404", "2405"]


def test_a_file_of_another_encoding_is_read_in_it(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER + "1,Nuñez,2401\n".encode("latin-1"))
    frames = list(
        read_frames(path, Report(file="f.csv"), known_columns=KNOWN, required_columns=REQUIRED, encoding="latin-1")
    )
    assert frames[0]["NAME"].to_list() == ["Nuñez"]
