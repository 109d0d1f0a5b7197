"""Small builders the tests share."""

from __future__ import annotations

import io
import zipfile


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    """A CSV file's bytes from its lines."""
    return ("\n".join(lines) + "\n").encode(encoding)


# a header row of Date and Notes, as inline strings
XLSX_HEADER = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Notes</t>'
               b'</is></c></row>')


def xlsx_bytes(sheet_xml_parts, *, extra: tuple[str, int] | None = None, name: str = "Visits") -> bytes:
    """An XLSX's bytes made by hand: `sheet_xml_parts` (an iterable of bytes) streamed into its one sheet,
    and `extra` (a part's name, its size in bytes of spaces) to swell it. Built in the test, never stored."""
    ns = "http://schemas.openxmlformats.org"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", f'<Types xmlns="{ns}/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
                   f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/'
                   f'officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
                   '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{ns}/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'.encode())
            for part in sheet_xml_parts:
                sheet.write(part)
            sheet.write(b"</worksheet>")
        if extra:
            with z.open(extra[0], "w") as swell:
                for _ in range(extra[1] // 1_000_000):
                    swell.write(b" " * 1_000_000)
    return buf.getvalue()


def xlsx_rows(n: int, row: bytes = b"<row><c><v>43831</v></c><c><v>1</v></c></row>"):
    """`n` rows of a date (a serial number) and a number, streamed 100,000 at a time."""
    for start in range(0, n, 100_000):
        yield row * min(100_000, n - start)
