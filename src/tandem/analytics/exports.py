"""Downloads of analytics tables: CSV, XLSX and a printable PDF report.

Every cell is read through `DataTable.value` and `DataTable.display`, never from `rows`, so a value
hidden by small-n suppression can only ever come out as "*".
"""

import csv
import io
import math
import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from tandem.analytics.tables import DataTable, Kind

HIDDEN = "*"
THRESHOLD_NOTE = "Groups under the reporting threshold are shown as *"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Debian's fonts-dejavu-core; where it is missing the PDF falls back to Helvetica and plain ASCII.
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Spreadsheet apps treat a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DECIMALS: dict[Kind, int] = {"percent": 1, "score": 1, "points": 1, "effect": 2}
_XLSX_FORMATS: dict[Kind, str] = {
    "count": "#,##0",
    "year": "0",
    "percent": "0.0",
    "score": "0.0",
    "points": "+0.0;-0.0;0.0",
    "effect": "+0.00;-0.00;0.00",
}


def _cell(table: DataTable, row: int, key: str) -> Any:
    """The value to export: HIDDEN for a suppressed cell, None when missing, else the value."""
    value = table.value(row, key)
    if value is None:
        return HIDDEN if table.display(row, key) == HIDDEN else None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def neutralised(text: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _header(label: str, kind: Kind) -> str:
    # The values lose their "%" sign in a spreadsheet, so the header carries it instead.
    return f"{label} (%)" if kind == "percent" and "%" not in label else label


def _safe_filename(filename: str, extension: str) -> str:
    stem = filename.removesuffix(f".{extension}")
    return f"{slugify(stem) or 'export'}.{extension}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(table: DataTable, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(neutralised(_header(c.label, c.kind)) for c in table.columns)
    for i in range(len(table.rows)):
        writer.writerow(_csv_value(_cell(table, i, c.key), c.kind) for c in table.columns)
    # The BOM is what makes Excel read the file as UTF-8 rather than the system code page.
    content = buffer.getvalue().encode("utf-8-sig")
    return _attachment(content, "text/csv; charset=utf-8", _safe_filename(filename, "csv"))


def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if value == HIDDEN:
        return HIDDEN
    if _is_number(value) and kind != "text":
        if kind in ("count", "year"):
            return str(int(value))
        return f"{value:.{_DECIMALS[kind]}f}"
    return neutralised(str(value))


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/?*\[\]:]", "-", " ".join(title.split()))[:31].strip(" '")
    return cleaned if cleaned and cleaned.lower() != "history" else "Data"


def xlsx_response(table: DataTable, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(label: str) -> Cell:
        cell = _text_cell(sheet, label)
        cell.font = bold
        return cell

    sheet.append([header_cell(_header(c.label, c.kind)) for c in table.columns])
    for i in range(len(table.rows)):
        sheet.append([_xlsx_cell(sheet, _cell(table, i, c.key), c.kind) for c in table.columns])
    if table.note:
        sheet.append([])
        sheet.append([_text_cell(sheet, table.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, _safe_filename(filename, "xlsx"))


def _text_cell(sheet: Any, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", text))
    if text.startswith(_FORMULA_START):
        # openpyxl turns any string starting with "=" into a formula; force it back to text, and
        # quotePrefix keeps Excel from reading it as one when someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _xlsx_cell(sheet: Any, value: Any, kind: Kind) -> Cell | None:
    if value is None:
        return None
    if _is_number(value) and kind != "text":
        # Rounded as the page shows them, so totals worked out in Excel agree with the page.
        number = int(value) if kind in ("count", "year") else round(float(value), _DECIMALS[kind])
        cell = WriteOnlyCell(sheet, number)
        cell.number_format = _XLSX_FORMATS[kind]
        return cell
    return _text_cell(sheet, str(value))


# Core PDF fonts only cover Latin-1; these are the characters our own copy and data tend to use.
_ASCII = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "→": "->", "←": "<-", "×": "x"}
    | {"≤": "<=", "≥": ">=", "•": "-", "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "}
)


def _latin1(text: str) -> str:
    out = []
    for char in text.translate(_ASCII):
        if ord(char) < 256:
            out.append(char)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
            out.append(base or "?")
    return "".join(out)


class _Report(FPDF):
    def __init__(self, title: str, generated: str) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.report_title, self.generated = title, generated
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=20)
        # Table cells carry their own padding; fpdf2's default cell margin would squeeze them twice.
        self.c_margin = 0
        faces = {"": "DejaVuSans", "B": "DejaVuSans-Bold", "I": "DejaVuSans-Oblique"}
        self.unicode = all((DEJAVU_DIR / f"{name}.ttf").exists() for name in faces.values())
        if self.unicode:
            for style, name in faces.items():
                self.add_font("DejaVu", style, DEJAVU_DIR / f"{name}.ttf")

    def t(self, text: str) -> str:
        return text if self.unicode else _latin1(text)

    def font(self, style: str = "", size: float = 9) -> None:
        self.set_font("DejaVu" if self.unicode else "Helvetica", style, size)

    def header(self) -> None:
        if self.page_no() > 1:
            self.font("", 8)
            self.set_text_color(110)
            self.cell(0, 5, self.t(f"{self.report_title} · {self.generated}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.font("", 8)
        self.set_text_color(110)
        self.cell(0, 4, self.t(THRESHOLD_NOTE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0)


_LINE = 4.5
_PAD = 1.5
_BAR = 30.0


def pdf_report(
    title: str,
    subtitle: str,
    sections: list[tuple[str, list[DataTable]]],
    notes: list[str],
    *,
    generated: date | None = None,
) -> bytes:
    day = generated or date.today()
    pdf = _Report(title, f"Generated {day:%B} {day.day}, {day.year}")
    pdf.set_title(pdf.t(title))
    pdf.set_creator("Tandem")
    pdf.add_page()
    pdf.font("B", 16)
    pdf.multi_cell(0, 8, pdf.t(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font("", 11)
    if subtitle:
        pdf.multi_cell(0, 6, pdf.t(subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font("", 9)
    pdf.set_text_color(110)
    pdf.cell(0, 6, pdf.generated, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    for heading, tables in sections:
        # Keep a heading with the start of its first table rather than alone at a page foot.
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(4)
        pdf.font("B", 13)
        pdf.multi_cell(0, 7, pdf.t(heading), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for table in tables:
            _draw_table(pdf, table)
    if notes:
        pdf.ln(4)
        pdf.font("B", 11)
        pdf.cell(0, 6, "Notes", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.font("", 9)
        for note in notes:
            pdf.multi_cell(0, _LINE, pdf.t(f"- {note}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _draw_table(pdf: _Report, table: DataTable) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(2)
    pdf.font("B", 10)
    pdf.multi_cell(0, 6, pdf.t(table.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    columns = table.columns
    # The bar sits just after the first percent column: a printed stand-in for the page's JS chart.
    bar_after = next((i for i, c in enumerate(columns) if c.kind == "percent"), None)
    pdf.font("", 8)
    texts = [[pdf.t(table.display(i, c.key)) for c in columns] for i in range(len(table.rows))]
    headers = [pdf.t(c.label) for c in columns]
    widths = _widths(pdf, table, headers, texts, pdf.epw - (_BAR if bar_after is not None else 0))
    aligns = ["L" if c.kind == "text" else "R" for c in columns]

    def draw_row(cells: list[str], style: str, fill: int | None, percent: Any = None) -> None:
        pdf.font(style, 8)
        lines = [len(_lines(pdf, w, text)) for w, text in zip(widths, cells, strict=True)]
        height = max(lines, default=1) * _LINE + 2 * _PAD
        if pdf.will_page_break(height):
            pdf.add_page()
            if style != "B":
                draw_row(headers, "B", 225)
                pdf.font(style, 8)
        x, y = pdf.l_margin, pdf.get_y()
        if fill is not None:
            pdf.set_fill_color(fill)
            pdf.rect(x, y, pdf.epw, height, style="F")
        for i, (w, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.set_xy(x + _PAD, y + _PAD)
            pdf.multi_cell(w - 2 * _PAD, _LINE, text, align=aligns[i], new_x=XPos.RIGHT, new_y=YPos.TOP)
            x += w
            if i == bar_after:
                if _is_number(percent):
                    bar_y, bar_h = y + height / 2 - 1.5, 3.0
                    pdf.set_fill_color(215)
                    pdf.rect(x + _PAD, bar_y, _BAR - 2 * _PAD, bar_h, style="F")
                    pdf.set_fill_color(60, 110, 170)
                    share = min(max(float(percent), 0.0), 100.0) / 100
                    pdf.rect(x + _PAD, bar_y, (_BAR - 2 * _PAD) * share, bar_h, style="F")
                x += _BAR
        pdf.set_xy(pdf.l_margin, y + height)

    draw_row(headers, "B", 225)
    for i, cells in enumerate(texts):
        percent = table.value(i, columns[bar_after].key) if bar_after is not None else None
        draw_row(cells, "", 245 if i % 2 else None, percent)
    if not texts:
        pdf.font("I", 8)
        pdf.cell(0, 6, "No rows.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if table.note:
        pdf.font("I", 8)
        pdf.multi_cell(0, _LINE, pdf.t(table.note), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    return pdf.multi_cell(width - 2 * _PAD, _LINE, text, dry_run=True, output=MethodReturnValue.LINES) or [""]


def _widths(pdf: _Report, table: DataTable, headers: list[str], texts: list[list[str]], room: float) -> list[float]:
    """Numbers get the width they need; text columns share what is left over, and wrap."""
    widths = []
    for j, column in enumerate(table.columns):
        pdf.font("", 8)
        longest = max((pdf.get_string_width(row[j]) for row in texts), default=0)
        pdf.font("B", 8)
        # Long headers wrap rather than widen the column.
        longest = max(longest, min(pdf.get_string_width(headers[j]), 30))
        natural = longest + 2 * _PAD + 1
        widths.append(min(max(natural, 14), 32) if column.kind != "text" else max(natural, 20))
    text = [j for j, c in enumerate(table.columns) if c.kind == "text"]
    fixed = sum(w for j, w in enumerate(widths) if j not in text)
    if text and room - fixed >= 20 * len(text):
        share = sum(widths[j] for j in text)
        for j in text:
            widths[j] = (room - fixed) * widths[j] / share
        return widths
    return [w * room / sum(widths) for w in widths]


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    return _attachment(data, "application/pdf", _safe_filename(filename, "pdf"))
