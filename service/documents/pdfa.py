"""Turn reportlab's PDF into a PDF/A-2b candidate: XMP metadata with the PDF/A identification, an sRGB output intent.

The rest of what PDF/A-2b asks of this document is already in reportlab's output and is checked by the tests
(tests/unit/test_documents_pdfa.py): every font embedded (DejaVu Serif subsets, render.py), no encryption, a
trailer ID, no transparency groups, JavaScript or external content. What is added here, as an incremental update
that pyHanko writes (the signature, when there is one, follows in the same update):

* an XMP metadata stream naming the title, author, subject, creator tool, dates and ``pdfaid:part=2``,
  ``pdfaid:conformance=B``, and a fresh document information dictionary whose every entry pyHanko writes from
  the same values as the XMP (PDF/A-2, 6.6.2.3.1);
* an output intent ``GTS_PDFA1`` whose profile is sRGB (built by LittleCMS through Pillow, ICC version 4.4:
  PDF/A-2 accepts major versions up to 4), as the page uses DeviceRGB and DeviceGray colours.

Full conformance can only be proven by a validator such as veraPDF, which is not run here; docs/documents.md says
what is and is not verified.
"""

from __future__ import annotations

import functools
import io
from datetime import datetime

from PIL import ImageCms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as xmp
from pyhanko.pdf_utils.metadata import xmp_xml

PDFA_PART, PDFA_CONFORMANCE = "2", "B"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PDFAID_PART = xmp.ExpandedName(xmp.NS["pdfaid"], "part")
PDFAID_CONFORMANCE = xmp.ExpandedName(xmp.NS["pdfaid"], "conformance")


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC display profile (class ``mntr``, RGB), built by LittleCMS."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def _output_intent(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    profile = generic.StreamObject({generic.pdf_name("/N"): generic.NumberObject(3)}, stream_data=srgb_profile())
    profile.compress()
    return generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/OutputIntent"),
            generic.pdf_name("/S"): generic.pdf_name("/GTS_PDFA1"),
            generic.pdf_name("/OutputConditionIdentifier"): generic.TextStringObject(OUTPUT_CONDITION),
            generic.pdf_name("/Info"): generic.TextStringObject(OUTPUT_CONDITION),
            generic.pdf_name("/DestOutputProfile"): writer.add_object(profile),
        }
    )


def _info(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    """A fresh information dictionary with only the keys pyHanko keeps equal to the XMP on every write.

    reportlab's own one has /Trapped and an empty /Keywords with no XMP counterpart, and a /ModDate that pyHanko
    would stamp apart from the XMP's; without /ModDate the XMP's ModifyDate stands alone.
    """
    keys = ("/Title", "/Author", "/Subject", "/Creator", "/CreationDate")
    info = generic.DictionaryObject({generic.pdf_name(k): generic.TextStringObject("") for k in keys})
    info[generic.pdf_name("/Producer")] = generic.TextStringObject(xmp.VENDOR)
    return info


def prepare(pdf: bytes, *, title: str, author: str, subject: str, created: datetime) -> IncrementalPdfFileWriter:
    """A writer over ``pdf`` with the PDF/A metadata and output intent; write it, or sign through it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    writer.root["/OutputIntents"] = generic.ArrayObject([writer.add_object(_output_intent(writer))])
    pdfa_id = xmp.XmpStructure.of(
        (PDFAID_PART, xmp.XmpValue(PDFA_PART)), (PDFAID_CONFORMANCE, xmp.XmpValue(PDFA_CONFORMANCE))
    )
    # pyHanko merges the document's metadata into this stream, uncompressed (PDF/A-2, 6.6.2.1), when it writes.
    writer.root["/Metadata"] = writer.add_object(xmp_xml.MetadataStream.from_xmp([pdfa_id]))
    writer.update_root()
    writer.set_info(_info(writer))
    meta = writer.document_meta
    meta.title, meta.author, meta.subject, meta.creator, meta.created = title, author, subject, "ipcoord", created
    return writer


def written(writer: IncrementalPdfFileWriter) -> bytes:
    """The unsigned file."""
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
