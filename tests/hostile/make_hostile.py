"""Hostile input: uploads, links and scenario files made to hurt a shared server.

Used by tests/test_hostile.py and `tests/benchmarks/bench.py --hostile`. The files are
made when needed (the bombs are large, and trivially made), never committed. To look at
them:  .venv/bin/python tests/hostile/make_hostile.py /tmp/hostile
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import model  # noqa: E402
from model.upload import template_csv  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr"><is><t>value_musd</t></is></c></row>'

# Markdown that would become a tracking image and a phishing link if shown as Markdown.
IMAGE = "![x](http://host/track.png)"
LINK = "[click me](https://evil.example/login)"


def workbook(sheet_data: str, shared: str | None = None, doctype: str = "") -> bytes:
    """A minimal .xlsx (Excel and openpyxl open it) with one sheet whose <sheetData> is `sheet_data`."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CONTENT}.worksheet+xml"/>'
        + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT}.sharedStrings+xml"/>' if shared else "")
        + "</Types>",
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
        + "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{MAIN}">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>",
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{shared}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def xfd_bomb(rows: int = 200_001) -> bytes:
    """Every row holds one empty cell in the last column (XFD): openpyxl pads each row to
    16,384 cells. 913 KB; 220 s of CPU in openpyxl."""
    return workbook("".join(f'<row r="{i}"><c r="XFD{i}"/></row>' for i in range(1, rows + 1)))


def xfd_value() -> bytes:
    """A good header, and one value far to the right (column XFD, row 2)."""
    return workbook(HEADER + '<row r="2"><c r="A2"><v>2021</v></c><c r="XFD2"><v>1</v></c></row>')


def cells_bomb(cells: int = 320_000) -> bytes:
    """Empty formatted cells, a thousand a row (all beyond the columns read but one)."""
    row = "<c/>" * 1_000
    return workbook(HEADER + "".join(f'<row r="{i}">{row}</row>' for i in range(2, cells // 1_000 + 2)))


def shared_strings_bomb(strings: int = 320_000) -> bytes:
    """More shared strings than cells a workbook may have (each one kept in memory by openpyxl)."""
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    return workbook(sheet, shared="<si><t>year</t></si><si><t>value_musd</t></si>" + "<si><t>x</t></si>" * strings)


def dense_sheet() -> bytes:
    """The most a sheet may hold: 1,000 data rows x 100 columns of text (37 MB unpacked, just
    under the limit), every cell read. The slowest legal file we know: about 1 s of CPU."""
    text = "Số liệu ước tính theo báo cáo của Sở Công Thương tỉnh Thái Bình, " * 4
    cells = f'<c t="inlineStr"><is><t>{text}</t></is></c>' * 100
    return workbook(HEADER + "".join(f'<row r="{i}">{cells}</row>' for i in range(2, 1_002)))


def billion_laughs() -> bytes:
    """Entities that expand to a billion characters (a DOCTYPE inside the sheet)."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    return workbook(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&i;</t></is></c></row>', doctype=doctype)


def blank_rows_bomb() -> bytes:
    """38 MB of XML (under the unpacked limit) that is nothing but blank rows."""
    return workbook(HEADER + "<row/>" * 6_300_000)


def lying_zip_bomb() -> bytes:
    """A sheet whose zip entry claims 10 KB but inflates to 20 MB (a classic zip bomb)."""
    data = workbook(HEADER + " " * 20_000_000)
    name = b"xl/worksheets/sheet1.xml"
    out = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            start = at + 4
            name_len = struct.unpack_from("<H", out, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(out[name_at : name_at + name_len]) == name:
                struct.pack_into("<I", out, at + size_at, 10_000)
    return bytes(out)


def long_number_xlsx() -> bytes:
    """A numeric cell of 5,000 digits (Python refuses to make an int of it)."""
    return workbook(HEADER + f'<row r="2"><c r="A2"><v>2021</v></c><c r="B2"><v>{"9" * 5000}</v></c></row>')


def bad_number_xlsx() -> bytes:
    """A numeric cell that is not a number (Excel never writes one; a crafted file does)."""
    return workbook(HEADER + '<row r="2"><c r="A2"><v>2021</v></c><c r="B2"><v>12abc</v></c></row>')


def huge_cell_xlsx() -> bytes:
    """A 1 MB shared string in a note."""
    sheet = HEADER.replace("</row>", '<c r="C1" t="inlineStr"><is><t>note</t></is></c></row>')
    sheet += '<row r="2"><c r="A2"><v>2021</v></c><c r="B2"><v>2000</v></c><c r="C2" t="s"><v>0</v></c></row>'
    return workbook(sheet, shared=f"<si><t>{'x' * 1_000_000}</t></si>")


def huge_cell_csv() -> bytes:
    """A 1.5 MB note (more than the csv module reads in one cell)."""
    return f"year,value_musd,note\n2021,2000,{'x' * 1_500_000}\n".encode()


def wide_csv() -> bytes:
    """A value in column 101 (CW)."""
    return ("year,value_musd" + "," * 99 + "\n2021,2000" + "," * 99 + "surprise\n").encode()


def many_sectors_csv(n: int = 5_000) -> bytes:
    rows = "".join(f"s{i},Ngành {i},Sector {i},1,5,3\n" for i in range(n))
    return ("id,name_vi,name_en,base_musd,growth_pct,volatility_pp\n" + rows).encode()


def actuals_beyond_horizon(year: int = 2031) -> bytes:
    """The bundled plan's actuals, and one more row for `year` (2031: past the plan's horizon)."""
    text = template_csv(model.load_plan(), "actuals", "en").decode("utf-8-sig").rstrip("\r\n")
    return (text + f"\r\n{year},total,5000,estimate,S1,\r\n").encode("utf-8")


def actuals_through(last: int) -> bytes:
    """The bundled plan's actuals and a total for every later year up to `last`."""
    text = template_csv(model.load_plan(), "actuals", "en").decode("utf-8-sig").rstrip("\r\n")
    return (text + "".join(f"\r\n{y},total,{3000 + 100 * (y - 2024)},estimate,S1," for y in range(2025, last + 1))
            + "\r\n").encode("utf-8")  # fmt: skip


def markdown_cells_csv() -> bytes:
    """Cells that are Markdown: a phishing link where a number should be, an image as a name."""
    return f"id,name_vi,base_musd,growth_pct\ntextiles,{IMAGE},{LINK},5\n".encode()


def scenario_json() -> bytes:
    """A scenario file whose unknown key and bad value are Markdown."""
    return json.dumps({"schema": "export-planner-scenario", "v": 1, LINK: "1", "shock": IMAGE}).encode()


UPLOADS = {
    "xfd_bomb.xlsx": xfd_bomb,
    "xfd_value.xlsx": xfd_value,
    "cells_bomb.xlsx": cells_bomb,
    "shared_strings_bomb.xlsx": shared_strings_bomb,
    "dense_sheet.xlsx": dense_sheet,
    "billion_laughs.xlsx": billion_laughs,
    "blank_rows_bomb.xlsx": blank_rows_bomb,
    "lying_zip_bomb.xlsx": lying_zip_bomb,
    "long_number.xlsx": long_number_xlsx,
    "bad_number.xlsx": bad_number_xlsx,
    "huge_cell.xlsx": huge_cell_xlsx,
    "huge_cell.csv": huge_cell_csv,
    "wide.csv": wide_csv,
    "many_sectors.csv": many_sectors_csv,
    "actuals_2031.csv": actuals_beyond_horizon,
    "markdown_cells.csv": markdown_cells_csv,
}

# Links: (query, the text a notice must show). Markdown in a key or a value must show as text.
LINKS = {
    "a value": ({"shock": IMAGE}, IMAGE),
    "a key": ({LINK: "1"}, LINK),
    "compare selection": ({"cmp": f"current,{LINK}"}, LINK),
    "data fingerprint": ({"data": "[x](http://e.vn)"}, "[x](http://e.vn)"),  # a fingerprint is cut at 16
}


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, make in UPLOADS.items():
        (out / name).write_bytes(make())
    (out / "scenario.json").write_bytes(scenario_json())
    print(f"{len(UPLOADS) + 1} files in {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")
