"""What a capture's file may be, judged by its content (pure): a PNG or JPEG screenshot or a PDF (the attachments'
own checks), or a saved page, HTML or MHTML, recognised by its structure rather than by its name or claimed type."""

from __future__ import annotations

import hashlib
import re

from service.attachments.service import IMAGE_TYPES, PDF_TYPE, Examined, UnsupportedType, sniff, too_large

HTML_TYPE = ("text/html", "html")
MHTML_TYPE = ("multipart/related", "mhtml")
_CAPTURE_TYPES = frozenset({IMAGE_TYPES["PNG"], IMAGE_TYPES["JPEG"], PDF_TYPE})
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_HTML_END = re.compile(rb"</html\s*>\s*\Z", re.I)
_BOUNDARY = re.compile(r'boundary="?([^";\r\n]+)"?', re.I)
HEADER_LIMIT = 16 * 1024


def _is_html(content: bytes) -> bool:
    """A whole saved page: UTF-8 text that opens as an HTML document and closes it."""
    if b"\x00" in content or not _HTML_START.match(content) or not _HTML_END.search(content[-1024:]):
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_mhtml(content: bytes) -> bool:
    """A web archive (RFC 2557): MIME headers of a multipart/related message, its boundary used, an HTML part."""
    head, blank, _ = content[:HEADER_LIMIT].partition(b"\r\n\r\n")
    if not blank:
        head, blank, _ = content[:HEADER_LIMIT].partition(b"\n\n")
    try:
        headers = head.decode("ascii")
    except UnicodeDecodeError:
        return False
    lowered = headers.lower()
    boundary = _BOUNDARY.search(headers)
    if "mime-version:" not in lowered or "multipart/related" not in lowered or boundary is None:
        return False
    marker = b"--" + boundary.group(1).strip().encode("ascii")
    return marker in content and b"text/html" in content.lower() and (marker + b"--") in content


def examine_capture(content: bytes, max_bytes: int) -> Examined:
    """Size, type and hash of a capture's file; 415 naming `file` for anything but PNG, JPEG, PDF, HTML, MHTML."""
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if _is_mhtml(content):
        content_type, extension = MHTML_TYPE
    elif _is_html(content):
        content_type, extension = HTML_TYPE
    else:
        # Unknown bytes too get the capture's message: the attachments' own names WebP, which a capture is not.
        try:
            content_type, extension = sniff(content)
        except UnsupportedType:
            content_type, extension = "", ""
        if (content_type, extension) not in _CAPTURE_TYPES:
            raise UnsupportedType(field="file").with_code("capture.unsupported_type", status=415)
    return Examined(content_type, extension, hashlib.sha256(content).hexdigest(), None)
