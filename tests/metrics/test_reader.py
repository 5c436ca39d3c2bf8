"""The streaming reader: formats, encodings, header mapping and whole-file failures."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from openpyxl import Workbook

from metrics.importing.reader import CsvLines
from metrics.importing.reader import ImportFileError
from metrics.importing.reader import Validator
from metrics.importing.reader import neutralise
from metrics.importing.reader import open_table
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes

ROW = "2024-03-01,Café Crème,email,10.50,100,10,8,2,1,30"


def rows(data: bytes, kind="campaign", **kwargs):
    table = open_table(io.BytesIO(data), kind, **kwargs)
    return table, list(table.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(delimiter):
    table, found = rows(csv_bytes(CAMPAIGN_HEADER, ROW, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert found == [(2, ROW.split(","))]


def test_utf8_with_bom():
    table, found = rows(csv_bytes(CAMPAIGN_HEADER, ROW, bom=True))
    assert table.encoding == "utf-8"
    assert found[0][1][1] == "Café Crème"


def test_windows_1252_fallback_is_said():
    table, found = rows(csv_bytes(CAMPAIGN_HEADER, ROW + " – €", encoding="cp1252"))
    assert table.encoding == "cp1252"
    assert found[0][1][1] == "Café Crème" and found[0][1][9] == "30 – €"
    assert table.notes == [
        "The file is not valid UTF-8 (byte 0xE9 on line 2): it was read as Windows-1252; "
        "check its accented characters, or save it as UTF-8."
    ]


def test_latin1_when_not_even_windows_1252():
    table, found = rows(csv_bytes(CAMPAIGN_HEADER, ROW + "\x81", encoding="latin-1"))
    assert table.encoding == "latin-1"
    assert found[0][1][1] == "Café Crème"
    assert "it was read as Latin-1" in table.notes[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded(encoding):
    data = csv_bytes(CAMPAIGN_HEADER, ROW, encoding=encoding)
    if encoding != "utf-16":  # Python writes the BOM for "utf-16" only
        data = "\ufeff".encode(encoding) + data
    table, found = rows(data)
    assert table.encoding == "utf-16" and table.notes == []
    assert found == [(2, ROW.split(","))]


def test_xlsx(tmp_path):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(CAMPAIGN_HEADER.split(","))
    sheet.append([datetime(2024, 3, 1), "Spring", "email", 10.5, 100, 10, 8, 2, 1, 30])
    buffer = io.BytesIO()
    book.save(buffer)
    table, found = rows(buffer.getvalue(), name="export.xlsx")
    assert table.encoding == "xlsx"
    assert found == [
        (2, ["2024-03-01", "Spring", "email", "10.5", "100", "10", "8", "2", "1", "30"])
    ]


def _workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_read_as_openpyxl_reads_them():
    """The sheet is parsed here, not by openpyxl's worksheets: same values, every type."""
    from datetime import date
    from datetime import datetime
    from datetime import time

    from openpyxl import load_workbook

    data = _workbook(
        CAMPAIGN_HEADER.split(","),
        [datetime(2024, 3, 1), "Spring", None, 10.25, 100, True, "=1+1", time(12, 30), -3, "é"],
        [date(2024, 3, 2), "Spring", "", 0.1, 10**15, False, 3e-7, "x" * 300, None, "=A1"],
    )
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = [
        [_text(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)
    ]
    book.close()
    table, found = rows(data, name="x.xlsx")
    assert table.header == expected[0]
    assert [values for _, values in found] == expected[1:]


def _text(value) -> str:
    from metrics.importing.reader import _cell_text

    return _cell_text(value)


def test_openpyxl_parses_workbooks_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # defusedxml is installed (requirements.txt) and not switched off


@pytest.mark.parametrize(
    "limit, value, message",
    [
        ("IMPORT_XLSX_MAX_MEMBERS", 5, "The XLSX archive holds 9 files, more than the 5"),
        ("IMPORT_XLSX_MAX_MEMBER_SIZE", 4_096, "unpacks to .* KB, more than the 4 KB accepted"),
        ("IMPORT_XLSX_MAX_TOTAL_SIZE", 5_120, "The workbook unpacks to .* KB, more than the 5 KB"),
    ],
)
def test_an_xlsx_archive_is_checked_before_it_is_parsed(settings, limit, value, message):
    setattr(settings, limit, value)
    with pytest.raises(ImportFileError, match=message):
        rows(_workbook(CAMPAIGN_HEADER.split(",")), name="x.xlsx")


def test_a_zip_bomb_is_refused_by_its_ratio(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 10_000_000)
    with pytest.raises(ImportFileError, match="it looks like a zip bomb"):
        rows(buffer.getvalue())
    settings.IMPORT_XLSX_MAX_RATIO = 100_000
    with pytest.raises(ImportFileError, match="not a readable XLSX workbook"):
        rows(buffer.getvalue())


def test_xlsx_rows_are_capped(settings):
    settings.IMPORT_MAX_ROWS = 2
    assert len(rows(_workbook(CAMPAIGN_HEADER.split(","), *[ROW.split(",")] * 2))[1]) == 2
    with pytest.raises(ImportFileError, match="The file has more than 2 rows"):
        rows(_workbook(CAMPAIGN_HEADER.split(","), *[ROW.split(",")] * 3))


def test_a_50mb_line_costs_no_more_than_its_limit(tmp_path):
    """Read as a stream: the line is dropped in pieces and reported, never held whole."""
    path = tmp_path / "huge.csv"
    path.write_bytes(
        csv_bytes(CAMPAIGN_HEADER, ROW) + b"2024-03-02," + b"x" * 50_000_000 + b"\n" + ROW.encode()
    )
    problems = []
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            table = open_table(handle, "campaign")
            table.on_unreadable = lambda line, reason: problems.append((line, reason))
            found = list(table.rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * 1024 * 1024
    assert [line for line, _ in found] == [2, 4]
    assert problems == [(3, "the line is longer than 1,048,576 characters.")]


def test_headers_any_order_and_case_and_optional_columns():
    data = b"Campaign,DATE,Spend\nSpring,2024-03-01,5\n"
    _, found = rows(data)
    # Measures the file leaves out read as 0: what a new key gets (the stored ones stay).
    assert found == [(2, ["2024-03-01", "Spring", "", "5", "0", "0", "0", "0", "0", "0"])]


def test_google_ads_preset_is_detected():
    data = (
        b"Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n"
        b"2024-03-01,Brand,12.5,100,7,1,40\n"
    )
    table, found = rows(data)
    assert table.mapping.preset == "google_ads"
    values = found[0][1]
    assert values[:4] == ["2024-03-01", "Brand", "google_ads", "12.5"]
    assert values[8:] == ["1", "40"]


def test_a_header_written_twice_is_refused_but_two_names_of_one_field_are_not():
    with pytest.raises(ImportFileError, match="The header names the column spend twice"):
        rows(b"date,campaign,spend,Spend\n2024-03-01,A,1,2\n")
    data = b"Day,Campaign,Cost,Conv. value,All conv. value\n2024-03-01,Brand,12.5,40,45\n"
    table, found = rows(data)
    assert table.mapping.preset == "google_ads" and found[0][1][9] == "40"  # the first


def test_meta_ads_preset_with_currency_suffix():
    data = (
        b"Reporting starts,Campaign name,Amount spent (EUR),Impressions,Link clicks,Results,"
        b"Purchase conversion value\n2024-03-01,Retarget,9.99,50,3,0,0\n"
    )
    table, found = rows(data)
    assert table.mapping.preset == "meta_ads"
    assert found[0][1][:4] == ["2024-03-01", "Retarget", "meta_ads", "9.99"]


def test_saved_mapping():
    data = b"When,Name,Money\n2024-03-01,X,3\n"
    _, found = rows(
        data,
        columns={"When": "date", "Name": "campaign", "Money": "spend"},
        defaults={"channel": "partner"},
    )
    assert found[0][1][:4] == ["2024-03-01", "X", "partner", "3"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\n\n", "The file is empty."),
        (b"\x00\x01\x02binary\x00stuff", "not a CSV or XLSX file"),
        ("date,campaign\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"\xff\xfe" + "date,\ud800".encode("utf-16-le", "surrogatepass"), "not valid UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "it looks like a PNG image"),
        (b"%PDF-1.4\n1 0 obj\n", "it looks like a PDF document"),
        (b"name,email\nann,a@x\n", "missing columns date, campaign, spend"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX"),
    ],
)
def test_whole_file_failures_have_one_clear_message(data, message):
    with pytest.raises(ImportFileError, match=message):
        rows(data)


@pytest.mark.parametrize(
    "values, column, reason",
    [
        (
            ["2024-02-30", "A", "", "1", "1", "1", "1", "1", "1", "1"],
            "date",
            "not a valid ISO date",
        ),
        (["yesterday", "A", "", "1", "1", "1", "1", "1", "1", "1"], "date", "not a valid ISO date"),
        (["2024-03-01", "", "", "1", "1", "1", "1", "1", "1", "1"], "campaign", "is missing"),
        (["2024-03-01", "A", "", "ten", "1", "1", "1", "1", "1", "1"], "spend", "not an amount"),
        (["2024-03-01", "A", "", "-5", "1", "1", "1", "1", "1", "1"], "spend", "negative"),
        (["2024-03-01", "A", "", "1", "-3", "1", "1", "1", "1", "1"], "impressions", "negative"),
        (["2024-03-01", "A", "", "1", "1", "1.5", "1", "1", "1", "1"], "clicks", "whole number"),
        (["2024-03-01", "A" * 201, "", "1", "1", "1", "1", "1", "1", "1"], "campaign", "longer"),
    ],
)
def test_campaign_cell_validation(values, column, reason):
    from metrics.importing.reader import RowError

    with pytest.raises(RowError) as error:
        Validator("campaign").validate(values)
    assert error.value.column == column
    assert reason in error.value.reason


def test_lenient_number_formats():
    validator = Validator("campaign")
    clean = validator.validate(["2024-03-01", " A ", "", "12,5", "1,234", "", "3", "0", "0", "1"])
    assert clean[1] == "A"
    assert clean[3].split("\t")[:3] == ["12.5", "1234", "0"]


def test_usage_validation():
    from metrics.importing.reader import RowError

    validator = Validator("usage")
    assert validator.validate(["2024-03-01", "P", "", "10", "", "", "5"])[2] == ""
    with pytest.raises(RowError, match="cannot exceed"):
        validator.validate(["2024-03-01", "P", "F", "10", "0", "0", "11"])
    with pytest.raises(RowError) as error:
        validator.validate(["2024-03-01", "P", "F", "", "0", "0", "0"])
    assert error.value.column == "active_users"


def test_survey_scales():
    from metrics.importing.reader import RowError

    validator = Validator("survey")
    assert validator.validate(["2024-03-01T10:00:00Z", "r", "NPS", "10", "", ""])[3] == "nps"
    assert (
        validator.validate(["2024-03-01T10:00:00Z", "r", "Support CSAT", "5", "", ""])[3] == "csat"
    )
    with pytest.raises(RowError, match="between 1 and 5"):
        validator.validate(["2024-03-01T10:00:00Z", "r", "Support CSAT", "7", "", ""])
    with pytest.raises(RowError, match="ISO date-time"):
        validator.validate(["2024-13-01T10:00:00Z", "r", "NPS", "7", "", ""])


def test_survey_cells_are_trimmed():
    clean = Validator("survey").validate([" 2024-03-01T10:00:00Z", " ann ", "NPS", " 9", "", ""])
    assert clean[2] == "ann" and clean[4] == "9"


def test_usage_header():
    _, found = rows(csv_bytes(USAGE_HEADER, "2024-03-01,P,,10,1,1,5"), kind="usage")
    assert found[0][1][2] == ""


@pytest.mark.parametrize("cell", ["=cmd|' /C calc'!A0", "+1+2", "-2", "@SUM(A1)"])
def test_formulas_are_neutralised_for_export(cell):
    assert neutralise(cell) == "'" + cell
    assert neutralise("Spring") == "Spring"


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(
        st.lists(
            st.sampled_from(
                [
                    "a",
                    "Spring Sale",
                    "",
                    " x ",
                    '"quoted, with comma"',
                    '"two\nlines"',
                    'a"b',
                    "1,5",
                    '""',
                    "é",
                    "\x00",
                ]
            ),
            max_size=4,
        ),
        max_size=8,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_csv_lines_read_as_the_csv_module_does(cells, delimiter, newline):
    """Lines without quotes are split directly; the records and line numbers equal the csv
    module's own reading of the same text, whatever the quoting and line endings."""
    text = "".join(delimiter.join(row) + newline for row in cells)

    def stream():
        return io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8", newline="")

    expected, reader = [], csv.reader(stream(), delimiter=delimiter)
    try:
        for row in reader:
            expected.append((reader.line_num, row))
    except csv.Error as error:
        expected.append(("error", str(error)))
    got = []
    lines = CsvLines(stream(), delimiter, on_error=lambda *problem: got.append(("error", problem)))
    for line, row in lines.records():
        got.append((line, row))
    if got and got[-1][0] == "error":
        # A quoted field still open at the end of the file: the csv module gives the rest
        # of the file as its last record; CsvLines rejects that record instead.
        line, reason = got.pop()[1]
        assert reason == "a quoted field opened on this line is never closed."
        assert any("\n" in cell or "\r" in cell for cell in expected.pop()[1])
    normalised = [(line, row if any(row) else []) for line, row in got if line != "error"]
    assert normalised == [
        (line, row if any(row) else []) for line, row in expected if line != "error"
    ]
    assert [entry for entry in got if entry[0] == "error"] == [
        entry for entry in expected if entry[0] == "error"
    ]


@pytest.mark.parametrize(
    "spend, clean",
    [
        ("1,200.00", "1200.00"),  # as spreadsheets export amounts
        ("1,234,567.5", "1234567.5"),
        ("1.200,00", "1200.00"),  # the same with a decimal comma
        ("12,50", "12.50"),  # a decimal comma alone (semicolon-separated exports)
        ("1200", "1200"),
    ],
)
def test_amounts_with_thousands_separators_are_read(spend, clean):
    row = ["2024-03-01", "A", "", spend, "1", "1", "1", "1", "1", "1"]
    assert Validator("campaign").validate(row)[3].split("\t")[0] == clean


def test_a_quoted_amount_with_a_thousands_separator_is_read_from_a_file():
    _, read = rows(csv_bytes(CAMPAIGN_HEADER, '2024-03-01,A,email,"1,200.00",1,1,1,1,1,"2,500.50"'))
    clean = Validator("campaign").validate(read[0][1])
    assert clean[3].split("\t")[::6] == ["1200.00", "2500.50"]


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("spend", "1,200", "is ambiguous ('1,200'): a thousands separator or a decimal comma?"),
        ("spend", "12,34,5", "thousands must be grouped in threes"),
        ("spend", "1,20.5", "thousands must be grouped in threes"),
        ("spend", "1.2.3", "thousands must be grouped in threes"),
        ("spend", "-1,200.00", "cannot be negative"),
        ("clicks", "1,2", "commas may only group thousands in threes"),
        ("clicks", "12,34,5", "commas may only group thousands in threes"),
    ],
)
def test_numbers_that_cannot_be_read_alone_are_rejected_with_why(column, value, reason):
    from metrics.importing.reader import RowError

    row = ["2024-03-01", "A", "", "1", "1", "1", "1", "1", "1", "1"]
    row[{"spend": 3, "clicks": 5}[column]] = value
    with pytest.raises(RowError) as error:
        Validator("campaign").validate(row)
    assert error.value.column == column
    assert reason in error.value.reason


def test_counts_with_thousands_separators_and_trailing_zeros():
    row = ["2024-03-01", "A", "", "1", "1,234", "1,200.00", "12.0", "1", "1", "1"]
    assert Validator("campaign").validate(row)[3].split("\t")[1:4] == ["1234", "1200", "12"]


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example/x","Click me")',
        "+cmd",
        "@SUM(A1:A9)",
        "-2+3+cmd|' /C calc'!A0",
        "-cmd",
        " \t=1+1",  # trimmed first: what would be stored starts with =
    ],
)
@pytest.mark.parametrize(
    "kind, column", [("campaign", 1), ("campaign", 2), ("usage", 1), ("usage", 2)]
)
def test_names_that_look_like_formulas_are_rejected(kind, column, name):
    from metrics.importing.reader import RowError

    row = (
        ["2024-03-01", "A", "", "1", "1", "1", "1", "1", "1", "1"]
        if kind == "campaign"
        else ["2024-03-01", "P", "F", "10", "0", "0", "0"]
    )
    row[column] = name
    with pytest.raises(RowError) as error:
        Validator(kind).validate(row)
    assert (
        error.value.column
        == ("campaign", "channel", "product", "feature")[column - 1 + (2 if kind == "usage" else 0)]
    )
    assert error.value.reason.startswith("looks like a spreadsheet formula")


@pytest.mark.parametrize("name", ["Spring - Sale", "-1", "-12.5", "\tSpring", "100% off"])
def test_names_that_only_resemble_formulas_are_kept(name):
    row = ["2024-03-01", name, "email", "1", "1", "1", "1", "1", "1", "1"]
    assert Validator("campaign").validate(row)[1] == name.strip()


def test_the_measures_a_file_leaves_out_are_named_and_a_default_counts_as_carried():
    table, read = rows(csv_bytes("date,campaign,channel,spend", "2024-03-01,A,email,5"))
    assert table.uncarried == ["impressions", "clicks", "visits", "leads", "purchases", "revenue"]
    assert read[0][1][3:] == ["5", "0", "0", "0", "0", "0", "0"]  # new keys get 0
    table, _ = rows(
        csv_bytes("date,campaign,spend,revenue", "2024-03-01,A,5,7"),
        columns={"date": "date"},
        defaults={"visits": "0", "channel": "email"},
    )
    assert table.uncarried == ["impressions", "clicks", "leads", "purchases"]
