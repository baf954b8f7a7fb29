#!/usr/bin/env python3
"""Writes data/templates/opinion-reference.docx, the pandoc reference document of the Word review opinion
(rules::opinion_html_to_docx passes it as --reference-doc): pandoc's own default reference.docx with three
changes a bureau expects of an opinion -- A4 pages with 2.3 cm side margins, tables with ruled cells, and
Chinese text in SimSun (宋体) 10.5 pt (五号). Run again after upgrading pandoc:

    python3 scripts/make_opinion_reference.py
"""
import pathlib
import subprocess
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "templates" / "opinion-reference.docx"

BORDERS = ("<w:tblBorders>" + "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080" />'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>")
FONTS_OLD = '<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi" />'
FONTS_NEW = '<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsia="SimSun" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi" />'
SECT = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="1418" w:right="1304" w:bottom="1418" '
        'w:left="1304" w:header="851" w:footer="992" w:gutter="0" /></w:sectPr>')


def replace_once(text, old, new, what):
    if text.count(old) != 1:
        raise SystemExit(f"pandoc's reference.docx changed: {what} not found once")
    return text.replace(old, new)


def main():
    default = subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], check=True, capture_output=True).stdout
    tmp = OUT.with_suffix(".tmp")
    tmp.write_bytes(default)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                s = data.decode("utf-8")
                replace_once(s, '<w:style w:type="table" w:default="1" w:styleId="Table">', "", "the Table style")
                start = s.index('w:styleId="Table"')
                # CT_TblPr order: ... tblInd, tblBorders, shd, tblLayout, tblCellMar ...
                ind = s.index('<w:tblInd w:w="0" w:type="dxa" />', start) + len('<w:tblInd w:w="0" w:type="dxa" />')
                s = s[:ind] + BORDERS + s[ind:]
                s = replace_once(s, FONTS_OLD, FONTS_NEW, "the default fonts")
                s = replace_once(s, '<w:sz w:val="24" />\n        <w:szCs w:val="24" />', '<w:sz w:val="21" />\n        <w:szCs w:val="21" />',
                                 "the default size")
                s = replace_once(s, 'w:eastAsia="en-US"', 'w:eastAsia="zh-CN"', "the East Asian language")
                data = s.encode("utf-8")
            elif item.filename == "word/document.xml":
                data = replace_once(data.decode("utf-8"), "<w:sectPr />", SECT, "the section properties").encode("utf-8")
            dst.writestr(item, data)
    tmp.unlink()
    print(f"written {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
