import csv
import io
from decimal import Decimal

import pytest

from common.csv import csv_lines, csv_response


def read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines), newline="")))


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_lines_prefix_text_a_spreadsheet_would_run(text):
    rows = read(csv_lines(["name"], [[text]]))

    assert rows[1] == ["'" + text]


@pytest.mark.parametrize("text", ["Acme", "a=b", "", "' quoted"])
def test_csv_lines_leave_ordinary_text_alone(text):
    rows = read(csv_lines(["name"], [[text]]))

    assert rows[1] == [text]


def test_csv_lines_write_numbers_as_they_are():
    rows = read(csv_lines(["a", "b", "c"], [[-5, Decimal("-6000.00"), -0.5]]))

    assert rows[1] == ["-5", "-6000.00", "-0.5"]


def test_csv_lines_neutralise_the_header_too():
    rows = read(csv_lines(["=cmd"], []))

    assert rows == [["'=cmd"]]


def test_csv_lines_yield_one_line_per_row_lazily():
    def rows():
        yield ["first"]
        raise AssertionError("read past the first row")

    lines = csv_lines(["name"], rows())

    assert [next(lines), next(lines)] == ["name\r\n", "first\r\n"]


def test_csv_response_streams_an_attachment():
    response = csv_response(filename="x.csv", header=["name"], rows=[["=1"]])

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content) == b"name\r\n'=1\r\n"
