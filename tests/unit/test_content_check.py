"""What an upload is judged to be from its bytes alone, where its photo was taken, and the name it is kept under."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from service.attachments.service import TooLarge, UnsupportedType, clean_file_name, examine, exif_gps, sniff

GPS = ExifTags.GPS
# 22°23'45.6" N, 103°27'28.8" E = (lon 103.458, lat 22.396), in Lai Châu, written as a phone writes it.
PHONE_GPS: dict[int, Any] = {
    GPS.GPSLatitudeRef: "N",
    GPS.GPSLatitude: (IFDRational(22), IFDRational(23), IFDRational(456, 10)),
    GPS.GPSLongitudeRef: "E",
    GPS.GPSLongitude: (IFDRational(103), IFDRational(27), IFDRational(288, 10)),
}
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000


def photo(*, image_format: str = "JPEG", gps: dict[int, Any] | None = PHONE_GPS) -> bytes:
    """A real photo made with Pillow, with this EXIF GPS block (none when `gps` is None)."""
    exif = Image.Exif()
    if gps is not None:
        exif[ExifTags.Base.GPSInfo] = gps
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, image_format, exif=exif)
    return buffer.getvalue()


def pdf() -> bytes:
    """A real one-page PDF (Pillow writes a complete file: header, objects, xref, trailer, %%EOF)."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (photo(), ("image/jpeg", "jpg")),
        (photo(image_format="PNG"), ("image/png", "png")),
        (photo(image_format="WEBP"), ("image/webp", "webp")),
        (pdf(), ("application/pdf", "pdf")),
    ],
)
def test_real_photos_and_pdfs_are_recognised_by_content(content: bytes, expected: tuple[str, str]):
    assert sniff(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(PROGRAM, id="windows-program"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 50, id="jpeg-magic-then-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, id="png-magic-then-garbage"),
        pytest.param(b"%PDF-1.7\njust text, no document\n", id="pdf-header-without-trailer"),
        pytest.param(pdf() + b"\n" * 2048, id="pdf-trailer-not-at-the-end"),
        pytest.param(b"GIF89a" + b"\x00" * 100, id="gif"),
        pytest.param(b"", id="empty"),
    ],
)
def test_anything_else_is_refused_naming_the_file_field(content: bytes):
    with pytest.raises(UnsupportedType) as refused:
        sniff(content)
    assert refused.value.status == 415 and refused.value.field == "file"


def test_size_is_checked_on_the_bytes_and_the_error_names_the_limit_in_mb():
    with pytest.raises(TooLarge) as refused:
        examine(photo() + b"\x00" * (20 * 1024 * 1024), max_bytes=20 * 1024 * 1024)
    assert refused.value.status == 413 and refused.value.field == "file"
    assert refused.value.params == {"limit_mb": "20"}


def test_examine_hashes_the_content_and_reads_the_photo_location():
    examined = examine(photo(), max_bytes=1024 * 1024)
    assert len(examined.sha256) == 64 and examined.content_type == "image/jpeg"
    assert examined.gps == (pytest.approx(103.458), pytest.approx(22.396))


def test_exif_gps_gives_lon_lat_in_decimal_degrees():
    assert exif_gps(photo()) == (pytest.approx(103.458), pytest.approx(22.396))


def test_southern_and_western_hemispheres_are_negative():
    gps = PHONE_GPS | {GPS.GPSLatitudeRef: "S", GPS.GPSLongitudeRef: "W"}
    assert exif_gps(photo(gps=gps)) == (pytest.approx(-103.458), pytest.approx(-22.396))


@pytest.mark.parametrize(
    "gps",
    [
        pytest.param(None, id="no-gps-block"),
        pytest.param({GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: PHONE_GPS[GPS.GPSLatitude]}, id="latitude-only"),
        pytest.param(PHONE_GPS | {GPS.GPSLatitudeRef: "X"}, id="unknown-hemisphere"),
        pytest.param(PHONE_GPS | {GPS.GPSLatitude: (IFDRational(95), IFDRational(0), IFDRational(0))}, id="lat>90"),
        pytest.param(
            {k: (IFDRational(0), IFDRational(0), IFDRational(0)) if k in (2, 4) else v for k, v in PHONE_GPS.items()},
            id="zero-zero-without-a-fix",
        ),
    ],
)
def test_photos_without_a_usable_location_give_none(gps: dict[int, Any] | None):
    assert exif_gps(photo(gps=gps)) is None


def test_png_keeps_its_exif_location_too():
    assert exif_gps(photo(image_format="PNG")) == (pytest.approx(103.458), pytest.approx(22.396))


def test_pdf_and_garbage_have_no_location():
    assert exif_gps(pdf()) is None
    assert exif_gps(PROGRAM) is None


@pytest.mark.parametrize(
    ("raw", "extension", "expected"),
    [
        ("hien_truong.jpg", "jpg", "hien_truong.jpg"),
        ("IMG_0001.JPEG", "jpg", "IMG_0001.JPEG"),
        ("C:\\Users\\thanh\\Desktop\\anh.jpg", "jpg", "anh.jpg"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("evidence.exe", "jpg", "evidence.exe.jpg"),
        ("bien\nban\x00.pdf", "pdf", "bienban.pdf"),
        ("", "png", "attachment.png"),
        ("...", "png", "attachment.png"),
        ("Ảnh hiện trường.jpg", "jpg", "Ảnh hiện trường.jpg"),
    ],
)
def test_file_name_is_a_clean_base_name_with_a_fitting_extension(raw: str, extension: str, expected: str):
    assert clean_file_name(raw, extension) == expected


def test_decomposed_vietnamese_name_is_stored_composed():
    macos_name = "A\u0309nh.jpg"  # "Ảnh" as macOS sends it (A + combining hook above)
    assert clean_file_name(macos_name, "jpg") == "\u1ea2nh.jpg"


def test_long_file_name_is_cut_to_255_characters_keeping_its_extension():
    name = clean_file_name("đ" * 400 + ".pdf", "pdf")
    assert len(name) == 255 and name.endswith("đ.pdf")
