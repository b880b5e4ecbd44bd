"""The PDF/A-2b properties the tests can check without veraPDF (docs/documents.md says which), on any produced file:
unsigned, signed B-B, timestamped B-T, or B-LT with its document security store.
"""

from __future__ import annotations

import datetime as dt
import io

from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader


def assert_pdfa_metadata(pdf: bytes, created: dt.datetime) -> None:
    """XMP identification, an unfiltered metadata stream, Info equal to XMP, the sRGB output intent, no encryption."""
    reader = PdfFileReader(io.BytesIO(pdf))
    metadata = reader.root["/Metadata"]
    assert "/Filter" not in metadata
    xmp = metadata.data.decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert xmp.count("pdfaid:part") == 1
    info = reader.trailer["/Info"]
    assert info["/Title"] in xmp and info["/Author"] in xmp and f'pdf:Producer="{info["/Producer"]}"' in xmp
    assert set(info) <= {"/Title", "/Author", "/Subject", "/Creator", "/Producer", "/CreationDate"}
    assert f'xmp:CreateDate="{created.isoformat()}"' in xmp and info["/CreationDate"] == f"D:{created:%Y%m%d%H%M%S}Z"
    [intent] = [item.get_object() for item in reader.root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"]
    icc = profile.data
    assert profile["/N"] == 3 and icc[12:16] == b"mntr" and icc[16:20] == b"RGB " and icc[8] <= 4
    assert "/Encrypt" not in reader.trailer and len(reader.trailer["/ID"]) == 2


def assert_fonts_embedded(pdf: bytes, letters: str) -> None:
    """Every font of every page a DejaVu Serif TrueType subset (PDF/A-2 6.2.11.4, 6.2.11.6) mapping ``letters``."""
    reader = PdfFileReader(io.BytesIO(pdf))
    to_unicode = ""
    for page in (kid.get_object() for kid in reader.root["/Pages"]["/Kids"]):
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType" and "+DejaVuSerif" in font["/BaseFont"]
            program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].data))
            # PDF/A-2 6.2.11.6: a symbolic TrueType font has no /Encoding and one cmap subtable (or (3,0)).
            assert "/Encoding" not in font and len(program["cmap"].tables) == 1
            to_unicode += font["/ToUnicode"].data.decode("latin-1").lower()
    for letter in letters:
        assert f"{ord(letter):04x}" in to_unicode, letter
