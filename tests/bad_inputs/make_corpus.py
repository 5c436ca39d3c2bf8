"""Writes the bad-input corpus of tests/test_bad_inputs.py into this folder.

    .venv/bin/python tests/bad_inputs/make_corpus.py

Deterministic: the same bytes on every run (the XLSX archives carry a fixed date), so the
committed files only change when this script does. What each file must do on import is
in manifest.toml; the test checks that every file here has an entry there.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
CAMPAIGN = "date,campaign,channel,spend,impressions,clicks,visits,leads,purchases,revenue"
USAGE = "date,product,feature,active_users,events,new_users,retained_users"
SURVEY = "submitted_at,respondent,survey,score,comment"
INSIGHT = "title,body,source,tags,persona,feature"
GOOD = [
    "2024-03-01,Spring Sale,email,100.00,1000,50,40,10,4,300.00",
    "2024-03-02,Spring Sale,email,50.00,500,20,10,5,0,0",
]


def lines(*rows: str, newline: str = "\n") -> str:
    return newline.join(rows) + newline


def csv_files() -> dict[str, bytes]:
    files = {}
    # Encodings
    files["campaign_cp1252.csv"] = lines(
        CAMPAIGN,
        "2024-03-01,Café “Crème”,email,1,1,1,1,1,1,1",
        "2024-03-02,Noël,email,1,1,1,1,1,1,1",
    ).encode("cp1252")
    files["campaign_latin1_undefined_in_cp1252.csv"] = (
        lines(CAMPAIGN, *GOOD).encode() + b"2024-03-03,Caf\xe9\x81,email,1,1,1,1,1,1,1\n"
    )
    files["campaign_invalid_utf8_late.csv"] = (
        lines(CAMPAIGN, *GOOD).encode("utf-8") + b"2024-03-03,Se\xf1or,email,1,1,1,1,1,1,1\n"
    )
    files["campaign_utf16le_bom.csv"] = codecs.BOM_UTF16_LE + lines(CAMPAIGN, *GOOD).encode(
        "utf-16-le"
    )
    files["campaign_utf16be_bom.csv"] = codecs.BOM_UTF16_BE + lines(CAMPAIGN, *GOOD).encode(
        "utf-16-be"
    )
    files["campaign_utf16le_no_bom.csv"] = lines(CAMPAIGN, *GOOD).encode("utf-16-le")
    files["campaign_utf16_broken.csv"] = codecs.BOM_UTF16_LE + (
        CAMPAIGN + "\n2024-03-01,\ud800"
    ).encode("utf-16-le", "surrogatepass")
    files["campaign_utf32.csv"] = lines(CAMPAIGN, *GOOD).encode("utf-32")
    files["campaign_only_bom.csv"] = codecs.BOM_UTF8
    files["campaign_empty.csv"] = b""
    files["campaign_blank_lines_only.csv"] = b"\n\r\n  \n"
    # Not text
    files["campaign_png.csv"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64)
    files["campaign_pdf.csv"] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    files["campaign_old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files["campaign_nul_bytes.csv"] = lines(CAMPAIGN, *GOOD).encode().replace(b"Sale", b"S\x00le")
    files["campaign_control_characters.csv"] = bytes(range(1, 9)) * 64
    # Shape
    files["campaign_header_only.csv"] = lines(CAMPAIGN).encode()
    files["campaign_wrong_kind.csv"] = lines(USAGE, "2024-03-01,App,Export,10,20,1,5").encode()
    files["campaign_10000_columns.csv"] = lines(
        CAMPAIGN + "".join(f",x{i}" for i in range(9990)), GOOD[0]
    ).encode()
    files["campaign_duplicate_headers.csv"] = lines(CAMPAIGN + ",spend", GOOD[0] + ",99").encode()
    files["campaign_unknown_columns.csv"] = lines(
        "utm_source," + CAMPAIGN + ",notes", *(f"news,{row},hello" for row in GOOD)
    ).encode()
    files["campaign_mixed_delimiters.csv"] = lines(
        CAMPAIGN, GOOD[0], GOOD[1].replace(",", ";")
    ).encode()
    files["campaign_semicolons_decimal_comma.csv"] = lines(
        CAMPAIGN.replace(",", ";"), "2024-03-01;Spring;email;10,50;100;10;8;2;1;30,25"
    ).encode()
    files["campaign_crlf.csv"] = lines(CAMPAIGN, *GOOD, newline="\r\n").encode()
    files["campaign_cr_only.csv"] = lines(CAMPAIGN, *GOOD, newline="\r").encode()
    files["campaign_unterminated_quote.csv"] = lines(
        CAMPAIGN,
        *GOOD,
        '2024-03-03,"Spring Sale,email,1,1,1,1,1,1,1',
        "2024-03-04,A,email,1,1,1,1,1,1,1",
    ).encode()
    files["campaign_huge_field.csv"] = (
        lines(CAMPAIGN, *GOOD).encode()
        + b'2024-03-03,"'
        + b"x" * 140_000
        + b'",email,1,1,1,1,1,1,1\n'
        b"2024-03-04,After,email,1,1,1,1,1,1,1\n"
    )
    # A 150,000-character line, over IMPORT_MAX_LINE_CHARS as the manifest sets it.
    files["campaign_huge_line.csv"] = (
        lines(CAMPAIGN, *GOOD).encode()
        + b"2024-03-03,"
        + b"y" * 150_000
        + b",email,1,1,1,1,1,1,1\n"
        b"2024-03-04,After,email,1,1,1,1,1,1,1\n"
    )
    files["campaign_nul_after_the_sniffed_head.csv"] = lines(
        CAMPAIGN,
        *(f"2024-01-{1 + i % 28:02d},Filler {i},email,1,1,1,1,1,1,1" for i in range(1800)),
        "2024-02-01,Bad\x00Name,email,1,1,1,1,1,1,1",
    ).encode()
    # Cells
    files["campaign_formulas.csv"] = lines(
        CAMPAIGN,
        '2024-03-01,"=HYPERLINK(""http://evil.example"",""click"")",email,1,1,1,1,1,1,1',
        "2024-03-02,+cmd,email,1,1,1,1,1,1,1",
        "2024-03-03,@SUM(A1:A9),email,1,1,1,1,1,1,1",
        "2024-03-04,Spring,email,=SUM(A1),1,1,1,1,1,1",
        "2024-03-05,Spring,email,1,+1,1,1,1,1,1",
    ).encode()
    files["campaign_csv_injection.csv"] = lines(
        CAMPAIGN,
        "2024-03-01,\"-2+3+cmd|' /C calc'!A0\",email,1,1,1,1,1,1,1",
        "2024-03-02,Spring,\"=cmd|' /C notepad'!A1\",1,1,1,1,1,1,1",
        "2024-03-03,Spring,email,-1+1,1,1,1,1,1,1",
    ).encode()
    files["campaign_dates_out_of_range.csv"] = lines(
        CAMPAIGN,
        GOOD[0],
        "0001-01-01,Spring,email,1,1,1,1,1,1,1",
        "9999-12-31,Spring,email,1,1,1,1,1,1,1",
        "2024-02-30,Spring,email,1,1,1,1,1,1,1",
    ).encode()
    files["campaign_negative_and_huge_numbers.csv"] = lines(
        CAMPAIGN,
        GOOD[0],
        "2024-03-02,Spring,email,-5,1,1,1,1,1,1",
        "2024-03-03,Spring,email,1,-3,1,1,1,1,1",
        "2024-03-04,Spring,email,1,1,99999999999999999999,1,1,1,1",
        "2024-03-05,Spring,email,1e30,1,1,1,1,1,1",
        "2024-03-06,Spring,email,999999999999.99,999999999999999,1,1,1,1,1",
    ).encode()
    files["campaign_beyond_integer_range.csv"] = lines(
        CAMPAIGN,
        GOOD[0],
        "2024-03-02,Spring,email,1,9223372036854775808,1,1,1,1,1",
        "2024-03-03,Spring,email,1,1,18446744073709551616,1,1,1,1",
        "2024-03-04,Spring,email,10000000000000,1,1,1,1,1,1",
    ).encode()
    files["campaign_thousands_separators.csv"] = lines(
        CAMPAIGN,
        '2024-03-01,Spring,email,100,"1,234","12,345,678",1,1,1,1',
        '2024-03-02,Spring,email,"1.234,50",1,1,1,1,1,1',
        '2024-03-03,Spring,email,100,"1,23",1,1,1,1,1',
    ).encode()
    many_bad = [f"2024-03-{day:02d},Spring,email,bad,1,1,1,1,1,1" for day in range(1, 9)]
    files["campaign_many_rejected.csv"] = lines(CAMPAIGN, GOOD[0], *many_bad).encode()
    files["usage_bad_cells.csv"] = lines(
        USAGE,
        "2024-03-01,App,Export,10,20,1,5",
        "2024-03-01,App,Import,10,20,1,50",
        "2024-03-01,,Import,10,20,1,5",
        "2024-03-02,App,Export,ten,20,1,5",
        "2024-03-02,App,Export,10,20,1,5",
        "2024-03-02,App,Export,11,20,1,5",
    ).encode()
    files["usage_tabs_and_blank_lines.csv"] = (
        lines(USAGE, "", "2024-03-01,App,Export,10,20,1,5", "", "2024-03-01,App,,100,200,3,40")
        .replace(",", "\t")
        .encode()
    )
    files["usage_utf8_bom_crlf.csv"] = (
        codecs.BOM_UTF8 + lines(USAGE, "2024-03-01,Äpp,Éxport,10,20,1,5", newline="\r\n").encode()
    )
    files["survey_bad_cells.csv"] = lines(
        SURVEY,
        "2024-03-01T10:00:00Z,r1,Q1 NPS,9,Great",
        "2024-03-01T10:00:00Z,r2,Q1 NPS,11,Too high",
        "0001-01-01T00:00:00,r3,Q1 NPS,5,Ancient",
        "9999-12-31T23:59:59,r4,Q1 NPS,5,Future",
        "2024-03-01T10:00:00Z,r5,Q1 CSAT,0,Below the scale",
        "yesterday,r6,Q1 NPS,5,Not a date",
        "2024-03-01T10:00:00Z,r7,Q1 NPS,-1,Negative",
    ).encode()
    files["survey_formula_comments.csv"] = lines(
        SURVEY,
        '2024-03-01T10:00:00Z,r1,Q1 NPS,9,"=HYPERLINK(""http://evil.example"")"',
        "2024-03-01T11:00:00Z,r2,Q1 NPS,7,@SUM(1+1)",
        "2024-03-01T12:00:00Z,r3,Q1 NPS,3,+cmd",
    ).encode()
    files["survey_huge_comment.csv"] = lines(
        SURVEY, "2024-03-01T10:00:00Z,r1,Q1 NPS,9," + "long " * 20_000
    ).encode()
    files["survey_utf16le_bom.csv"] = codecs.BOM_UTF16_LE + lines(
        SURVEY, "2024-03-01T10:00:00Z,Zoë,Q1 NPS,9,Très bien"
    ).encode("utf-16-le")
    # Insights
    files["insight_cp1252.csv"] = lines(INSIGHT, "Café crème,Naïve “quotes”,call,,,").encode(
        "cp1252"
    )
    files["insight_utf16le_bom.csv"] = codecs.BOM_UTF16_LE + lines(
        INSIGHT, "Setup is slow,Took days,call,,,", "Zoë's team,,ticket,,,"
    ).encode("utf-16-le")
    files["insight_utf16be_bom.csv"] = codecs.BOM_UTF16_BE + lines(INSIGHT, "One,,,,,").encode(
        "utf-16-be"
    )
    files["insight_png.csv"] = files["campaign_png.csv"]
    files["insight_pdf.csv"] = files["campaign_pdf.csv"]
    files["insight_nul_bytes.csv"] = lines(INSIGHT, "A\x00B,,,,,").encode()
    files["insight_empty.csv"] = b""
    files["insight_only_bom.csv"] = codecs.BOM_UTF8
    files["insight_header_only.csv"] = lines(INSIGHT).encode()
    files["insight_missing_title.csv"] = lines("name,body", "x,y").encode()
    files["insight_duplicate_headers.csv"] = lines("title,body,title", "One,Two,Three").encode()
    files["insight_10000_columns.csv"] = lines(
        INSIGHT + "".join(f",x{i}" for i in range(9994)), "One"
    ).encode()
    files["insight_huge_field.csv"] = (
        lines(INSIGHT, "Before,,,,,").encode()
        + b'Huge,"'
        + b"body line\n" * 14_000
        + b'",call,,,\nAfter,,,,,\n'
    )
    files["insight_huge_line.csv"] = (
        lines(INSIGHT, "Before,,,,,").encode() + b"Huge," + b"z" * 150_000 + b",call,,,\n"
        b"After,,,,,\n"
    )
    files["insight_unterminated_quote.csv"] = lines(
        INSIGHT, "Before,,,,,", 'Open,"never closed,call,,,', "After,,,,,"
    ).encode()
    files["insight_too_many_cells.csv"] = lines(INSIGHT, "Fine,,,,,", "Wide,,,,,,,,,,").encode()
    files["insight_formulas.csv"] = lines(
        INSIGHT,
        '"=HYPERLINK(""http://evil.example"",""x"")",body,call,,,',
        "+cmd,body,call,,,",
        "@SUM(A1),body,call,,,",
        "\"-2+3+cmd|' /C calc'!A0\",body,call,,,",
    ).encode()
    files["insight_mixed_line_endings.csv"] = b"title,body\r\nOne,a\nTwo,b\rThree,c\r\n"
    files["insight_many_rejected.csv"] = lines(
        "title,persona", "Good,", *(f"Bad {i},Nobody" for i in range(8))
    ).encode()
    files["insight_nul_after_the_sniffed_head.csv"] = lines(
        "title,body", *(f"Filler {i},{'x' * 40}" for i in range(1500)), "Bad\x00title,"
    ).encode()
    return files


# --- XLSX ------------------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    XML + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    XML + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    XML + f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (  # style 1: a date (built-in number format 14)
    XML + f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
NO_STRINGS = XML + f'<sst xmlns="{MAIN}" count="0" uniqueCount="0"></sst>'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def column_name(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell(reference: str, value) -> str:
    if isinstance(value, tuple):  # (raw xml attributes, raw inner xml)
        return f'<c r="{reference}" {value[0]}>{value[1]}</c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[tuple[int, list]], *, dimension: str = "", before: str = "") -> str:
    body = "".join(
        f'<row r="{number}">'
        + "".join(cell(f"{column_name(i)}{number}", v) for i, v in enumerate(values, 1) if v != "")
        + "</row>"
        for number, values in rows
    )
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'{XML}{before}<worksheet xmlns="{MAIN}">{dimension}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def xlsx(
    sheet: str | None, *, strings: str = NO_STRINGS, workbook: str = WORKBOOK, **extra
) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": strings,
        "xl/worksheets/sheet1.xml": sheet,
        **extra,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if content is None:
                continue
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def campaign_rows(*rows: list, start: int = 1) -> list[tuple[int, list]]:
    return list(enumerate([CAMPAIGN.split(","), *rows], start))


GOOD_CELLS = [
    ["2024-03-01", "Spring Sale", "email", 100, 1000, 50, 40, 10, 4, 300],
    ["2024-03-02", "Spring Sale", "email", 50, 500, 20, 10, 5, 0, 0],
]


def xlsx_files() -> dict[str, bytes]:
    files = {}
    files["campaign_good.xlsx"] = xlsx(sheet_xml(campaign_rows(*GOOD_CELLS)))
    files["campaign_real_xlsx_named.csv"] = files["campaign_good.xlsx"]
    files["campaign_csv_named.xlsx"] = lines(CAMPAIGN, *GOOD).encode()
    # A sheet of 1,000,000 empty-looking rows: 50 MB of XML in a few dozen kilobytes.
    filler = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t> </t></is></c></row>'
    bomb = (
        f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'
        + "".join(filler.format(2) for _ in range(1))
        + '<row r="3"/>' * 6_000_000
        + "</sheetData></worksheet>"
    )
    files["campaign_zip_bomb.xlsx"] = xlsx(bomb)
    laughs_strings = (
        f'{XML}{LAUGHS}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    files["campaign_billion_laughs_strings.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS)), strings=laughs_strings
    )
    files["campaign_billion_laughs_sheet.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS), before=LAUGHS).replace("Spring Sale", "&lol9;", 1)
    )
    files["campaign_external_entity.xlsx"] = xlsx(
        sheet_xml(
            campaign_rows(*GOOD_CELLS),
            before='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ).replace("Spring Sale", "&xxe;", 1)
    )
    files["campaign_bad_xml.xlsx"] = xlsx(sheet_xml(campaign_rows(*GOOD_CELLS))[:-40])
    files["campaign_bad_cell_reference.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS)).replace('r="B2"', 'r="ZZZZZZZ1"')
    )
    files["campaign_bad_row_number.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS)).replace('<row r="3"', '<row r="-3"')
    )
    files["campaign_bad_shared_string_index.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS)).replace(
            '<c r="B2" t="inlineStr"><is><t>Spring Sale</t></is></c>',
            '<c r="B2" t="s"><v>99</v></c>',
        )
    )
    files["campaign_missing_sheet.xlsx"] = xlsx(None)
    files["campaign_no_sheets.xlsx"] = xlsx(
        None, workbook=XML + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets/></workbook>'
    )
    files["campaign_huge_dimension.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS), dimension="A1:XFD1048576")
    )
    files["campaign_row_gap.xlsx"] = xlsx(
        sheet_xml([(1, CAMPAIGN.split(",")), (2, GOOD_CELLS[0]), (1_048_576, GOOD_CELLS[1])])
    )
    files["campaign_10000_columns.xlsx"] = xlsx(
        sheet_xml([(1, [*CAMPAIGN.split(","), *(f"x{i}" for i in range(9990))])])
    )
    files["campaign_cell_in_last_column.xlsx"] = xlsx(
        sheet_xml(campaign_rows(*GOOD_CELLS)).replace(
            "</row>", '<c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>', 1
        )
    )
    wide_row = '<row r="3">' + '<c t="inlineStr"><is><t>1</t></is></c>' * 2000 + "</row>"
    files["campaign_row_of_2000_cells.xlsx"] = xlsx(
        sheet_xml(campaign_rows(GOOD_CELLS[0])).replace("</sheetData>", wide_row + "</sheetData>")
    )
    files["campaign_huge_cell.xlsx"] = xlsx(
        sheet_xml(
            campaign_rows(GOOD_CELLS[0], ["2024-03-02", "x" * 150_000, "email", 1], GOOD_CELLS[1])
        )
    )
    files["campaign_csv_in_one_column.xlsx"] = xlsx(
        sheet_xml([(1, [CAMPAIGN]), (2, [GOOD[0]]), (3, [GOOD[1]])])
    )
    files["campaign_zip_not_a_workbook.xlsx"] = _zip({"notes.txt": "just a zip"})
    long_sheet = xlsx(sheet_xml(campaign_rows(*GOOD_CELLS * 1000)))
    files["campaign_truncated.xlsx"] = long_sheet[: len(long_sheet) // 2]
    files["campaign_damaged_sheet.xlsx"] = _wrong_crc(long_sheet, "xl/worksheets/sheet1.xml")
    files["campaign_date_cells.xlsx"] = xlsx(
        sheet_xml(
            campaign_rows(
                [('s="1"', "<v>45352</v>"), "Spring", "email", 1, 1, 1, 1, 1, 1, 1],  # 2024-03-01
                [('s="1"', "<v>3000000</v>"), "Spring", "email", 1, 1, 1, 1, 1, 1, 1],
                [('s="1"', "<v>-5</v>"), "Spring", "email", 1, 1, 1, 1, 1, 1, 1],
            )
        )
    )
    files["usage_formula_cells.xlsx"] = xlsx(
        sheet_xml(
            [
                (1, USAGE.split(",")),
                (2, ["2024-03-01", "App", "Export", ("", "<f>SUM(1,2)</f><v>3</v>"), 5, 1, 1]),
                (3, ["2024-03-02", "App", "Export", ("", "<f>SUM(1,2)</f>"), 5, 1, 1]),
                (4, ["2024-03-03", "App", "Export", ('t="e"', "<v>#DIV/0!</v>"), 5, 1, 1]),
                (
                    5,
                    [
                        "2024-03-04",
                        "App",
                        ('t="str"', '<f>HYPERLINK("x")</f><v>=x</v>'),
                        5,
                        5,
                        1,
                        1,
                    ],
                ),
            ]
        )
    )
    files["survey_fractional_score.xlsx"] = xlsx(
        sheet_xml(
            [
                (1, SURVEY.split(",")),
                (2, ["2024-03-01T10:00:00", "r1", "Q1 NPS", 9, "Great"]),
                (3, ["2024-03-01T10:00:00", "r2", "Q1 NPS", 10.5, "Half"]),
            ]
        )
    )
    return files


def _wrong_crc(data: bytes, member: str) -> bytes:
    """The archive with a wrong checksum for `member`: zipfile notices at its end only."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info, directory = archive.getinfo(member), archive.start_dir
    damaged = bytearray(data)
    right, wrong = struct.pack("<I", info.CRC), struct.pack("<I", info.CRC ^ 1)
    damaged[info.header_offset + 14 : info.header_offset + 18] = wrong  # the local header
    at = damaged.index(right, directory)  # the central directory's entry
    damaged[at : at + 4] = wrong
    return bytes(damaged)


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def main() -> None:
    files = {**csv_files(), **xlsx_files()}
    for path in HERE.iterdir():
        if path.suffix in {".csv", ".xlsx", ".xls"} and path.name not in files:
            path.unlink()
    for name, data in sorted(files.items()):
        assert len(data) < 300 * 1024, (name, len(data))
        (HERE / name).write_bytes(data)
    print(f"{len(files)} files in {HERE}")


if __name__ == "__main__":
    main()
