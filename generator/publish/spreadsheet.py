"""The open-data tables as one spreadsheet workbook (.xlsx): a sheet per table, from the rows the CSV
files are written from. Pure: returns bytes, identical from one build to the next."""
from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from generator.publish.export import Table, is_formula_like

FILE = "contrat.xlsx"
MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
README = "À lire"
# The workbook's creation date is fixed so that two builds give the same bytes (the zip entries are
# dated 1980-01-01 by XlsxWriter when writing in memory).
FIXED_DATE = datetime(1980, 1, 1)
_WIDEST = 60  # characters: a wider column would push the others off screen


def workbook(tables: list[tuple[Table, list[list]]], title: str, about: list[tuple[str, str]]) -> bytes:
    """`tables`: each table with its rows (typed values); `about`: (label, value) lines of the first sheet."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": title, "created": FIXED_DATE})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    # A text cell that a spreadsheet would take for a formula once edited keeps its exact text, marked
    # as text the way a typed leading apostrophe marks it (quotePrefix).
    as_text = book.add_format({"quote_prefix": True})

    readme = book.add_worksheet(README)
    for r, (label, value) in enumerate(about):
        readme.write_string(r, 0, label, header)
        readme.write_string(r, 1, value)
    first = len(about) + 1
    for c, name in enumerate(("Feuille", "Contenu", "Lignes")):
        readme.write_string(first, c, name, header)
    for r, (table, rows) in enumerate(tables, start=first + 1):
        readme.write_string(r, 0, table.stem)
        readme.write_string(r, 1, table.description)
        readme.write_number(r, 2, len(rows))
    readme.set_column(0, 0, 28)
    readme.set_column(1, 1, _WIDEST)

    for table, rows in tables:
        sheet = book.add_worksheet(table.stem)
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column.title, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif value:  # None and "" leave the cell empty
                    sheet.write_string(r, c, str(value), as_text if is_formula_like(value) else None)
        for c, column in enumerate(table.columns):
            longest = max([len(column.title)] + [len(str(row[c])) for row in rows if row[c] is not None])
            sheet.set_column(c, c, min(longest + 2, _WIDEST))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(table.columns) - 1)
    book.close()
    return out.getvalue()
