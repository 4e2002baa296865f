"""Renders the funder report as CSV (semicolons, for German Excel) and as an XLSX workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openpyxl import Workbook
from openpyxl.styles import Font

from altjung.federation.domain.report import Report
from altjung.federation.domain.suppression import Cell

#: Shown for a count held back by suppression (the German statistical offices' sign).
SUPPRESSED = "."
#: Shown where there is nothing to show, e.g. a mean over no Patenschaft.
NOTHING = "–"

Value = str | int
Line = tuple[str, list[Value]]  # (kind, values); kind styles the XLSX row


def report_lines(report: Report) -> list[Line]:
    """The report as rows of text and whole numbers, the same for every format."""
    lines: list[Line] = [
        ("title", [report.title]),
        ("meta", ["Berichtszeitraum", report.period.label]),
        ("meta", ["Erstellt am", format_instant(report.generated_at)]),
        ("meta", ["Datenstand (Ereignisse bis)",
                  format_instant(report.data_as_of) if report.data_as_of else NOTHING]),
        *(("meta", ["Hinweis", note]) for note in report.notes),
    ]
    for section in report.sections:
        lines += [("blank", []), ("section", [section.title]), ("header", list(section.columns))]
        lines += [("data", [_value(value) for value in row]) for row in section.rows]
    return lines


def to_csv(report: Report, *, delimiter: str = ";") -> str:
    """CSV text. Serve it encoded as 'utf-8-sig' so that Excel reads the umlauts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(values for _kind, values in report_lines(report))
    return buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    """One worksheet 'Bericht' with the same rows as the CSV, counts as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bericht"
    bold = Font(bold=True)
    for row, (kind, values) in enumerate(report_lines(report), start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if kind in ("title", "section", "header") or (kind == "meta" and column == 1):
                cell.font = Font(bold=True, size=14) if kind == "title" else bold
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 18
    created = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    workbook.properties.title = report.title
    workbook.properties.created = workbook.properties.modified = created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def format_instant(instant: dt.datetime) -> str:
    """German local time for the reader, UTC in ISO 8601 for the record."""
    utc = instant.astimezone(dt.UTC)
    iso = utc.isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        local = utc.astimezone(ZoneInfo("Europe/Berlin"))
    except ZoneInfoNotFoundError:
        return iso
    zone = "MESZ" if local.dst() else "MEZ"
    return f"{local:%d.%m.%Y, %H:%M} Uhr {zone} ({iso})"


def _value(value: str | Cell) -> Value:
    if isinstance(value, str):
        return value
    if value["suppressed"]:
        return SUPPRESSED
    return NOTHING if value["value"] is None else value["value"]
