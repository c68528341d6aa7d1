"""CSV, XLSX and PDF exports: suppressed values must come out as "*" and nowhere else."""

import codecs
import csv
import io
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from tandem.analytics import exports
from tandem.analytics.tables import Column, DataTable

HYPERLINK = '=HYPERLINK("http://evil.example","Click me")'
# Row 1's two cells are suppressed; these numbers must never reach a file.
HIDDEN_COUNT, HIDDEN_PERCENT = 4217, 91.6


def _table(extra_rows: int = 0) -> DataTable:
    columns = [
        Column("school", "School"),
        Column("students", "Students", "count"),
        Column("proficient", "Proficient", "percent"),
        Column("change", "Change", "points"),
        Column("comment", "Comment"),
    ]
    rows = [
        {
            "school": "José Martí Elementary",
            "students": 412,
            "proficient": 47.31,
            "change": 2.04,
            "comment": "Strong year",
        },
        {
            "school": "Lincoln Middle",
            "students": HIDDEN_COUNT,
            "proficient": HIDDEN_PERCENT,
            "change": None,
            "comment": "",
        },
        {"school": HYPERLINK, "students": None, "proficient": 12.04, "change": -3.24, "comment": "@SUM(A1:A3)"},
        {"school": "Oak Hill", "students": 1200.0, "proficient": 100, "change": 0.0, "comment": "-2 on the benchmark"},
    ]
    rows += [
        {
            "school": f"School {i} with a name long enough to wrap in a narrow printed column",
            "students": 100 + i,
            "proficient": i % 101,
        }
        for i in range(extra_rows)
    ]
    hidden = {(1, "students"), (1, "proficient")}
    return DataTable(
        "Proficiency — grade 3: José/Martí [spring]?", columns, rows, hidden, note="Scores are scale scores."
    )


def test_csv_is_utf8_with_bom_and_reads_back_exactly() -> None:
    response = exports.csv_response(_table(), "José Martí export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jose-marti-export.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    assert not text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [
        ["School", "Students", "Proficient (%)", "Change", "Comment"],
        ["José Martí Elementary", "412", "47.3", "2.0", "Strong year"],
        ["Lincoln Middle", "*", "*", "", ""],
        ["'" + HYPERLINK, "", "12.0", "-3.2", "'@SUM(A1:A3)"],
        ["Oak Hill", "1200", "100.0", "0.0", "'-2 on the benchmark"],
    ]
    assert str(HIDDEN_COUNT) not in text and str(HIDDEN_PERCENT) not in text


def test_csv_filename_falls_back_when_nothing_safe_is_left() -> None:
    response = exports.csv_response(_table(), '../"";.csv')

    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'


def test_xlsx_keeps_numbers_as_numbers_and_hidden_cells_as_stars() -> None:
    response = exports.xlsx_response(_table(), "Proficiency")

    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="proficiency.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Proficiency — grade 3- José-Mar"]
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == ["School", "Students", "Proficient (%)", "Change", "Comment"]
    assert all(c.font.bold for c in sheet[1])
    assert [c.value for c in sheet[2]] == ["José Martí Elementary", 412, 47.3, 2.0, "Strong year"]
    assert type(sheet["B2"].value) is int and type(sheet["B5"].value) is int
    assert (sheet["B2"].number_format, sheet["C2"].number_format) == ("#,##0", "0.0")
    assert [c.value for c in sheet[3]] == ["Lincoln Middle", "*", "*", None, None]
    assert sheet["A4"].value == HYPERLINK and sheet["A4"].data_type == "s" and sheet["A4"].quotePrefix
    assert sheet["B4"].value is None and sheet["D4"].value == -3.2
    assert sheet.cell(row=len(_table().rows) + 3, column=1).value == "Scores are scale scores."


def test_xlsx_never_holds_a_hidden_value_or_a_formula() -> None:
    content = exports.xlsx_response(_table(), "x").content

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"]
    assert b"Lincoln Middle" in sheet_xml
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    for name, xml in parts.items():
        assert str(HIDDEN_COUNT).encode() not in xml, name
        assert str(HIDDEN_PERCENT).encode() not in xml, name


def _report(extra_rows: int = 300) -> bytes:
    sections = [("Achievement → spring “window”", [_table(extra_rows)])]
    notes = ["Growth is measured × 2 — see the guide; 漢字 names print as well as they can."]
    return exports.pdf_report(
        "Spring report — José Martí", "District 7 · 2025–26", sections, notes, generated=date(2025, 5, 12)
    )


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_pdf_paginates_with_the_unicode_font() -> None:
    # scripts/test installs fonts-dejavu-core: the suite runs the Unicode path, never skips it.
    assert (exports.DEJAVU_DIR / "DejaVuSans.ttf").exists(), "fonts-dejavu-core is not installed"

    pdf = _report()

    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # DejaVu embedded, not the Latin-1 core font
    assert _page_count(pdf) > 1


def test_pdf_without_dejavu_falls_back_to_helvetica(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(exports, "DEJAVU_DIR", tmp_path)

    pdf = _report()

    assert pdf.startswith(b"%PDF")
    pages = _page_count(pdf)
    assert pages > 1
    # Core-font text sits in the page streams as Latin-1 literals, so it can be read without a PDF library.
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    page_texts = [zlib.decompress(s).decode("latin-1") for s in streams]
    assert len(page_texts) == pages
    text = "".join(page_texts)
    assert "(Spring report - José Martí) Tj" in text
    assert '(Achievement -> spring "window") Tj' in text
    assert "(Generated May 12, 2025) Tj" in text
    assert text.count("(*) Tj") == 2
    assert str(HIDDEN_COUNT) not in text and "4,217" not in text and str(HIDDEN_PERCENT) not in text
    for number, page in enumerate(page_texts, start=1):
        # fpdf2 writes the page total as a literal of its own, filled in once the count is known.
        assert f"(Page {number} of ) Tj ({pages}) Tj" in page
        assert "(Groups under the reporting threshold are shown as *) Tj" in page
        if "(School " in page:
            assert "(Students) Tj" in page, f"page {number} has rows but no header row"
    # One blue bar per shown percent: none for the suppressed row.
    bars = re.findall(r"rg\n[\d.]+ [\d.]+ ([\d.]+) -[\d.]+ re f", text)
    assert len(bars) == len(_table(300).rows) - 1


def test_pdf_text_reads_back_with_pypdf() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_report()))

    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "Spring report — José Martí" in first
    assert "*" in first.split("Lincoln Middle")[1].splitlines()[0]
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
