"""Uploaded images are checked and re-encoded without their metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from podium.core import images
from podium.core.images import ImageRejected, image_clean


def picture(fmt: str = "PNG", size=(40, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#005a9c").save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "poster.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def jpeg_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 51.0, 0.0)  # latitude
    gps[3], gps[4] = "E", (4.0, 21.0, 0.0)  # longitude
    return picture("JPEG", size=(40, 30), exif=exif)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_valid_image_is_re_encoded_in_its_own_format(fmt):
    cleaned = image_clean(upload(picture(fmt), name=f"Affiche 2026.{fmt.lower()}"))

    stored = Image.open(io.BytesIO(cleaned.read()))
    assert stored.format == fmt
    assert stored.size == (40, 30)
    assert cleaned.name == f"Affiche_2026.{images.FORMATS[fmt]}"


def test_exif_and_gps_are_removed_and_the_orientation_applied():
    original = jpeg_with_gps_and_rotation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # given

    cleaned = image_clean(upload(original, name="foto.jpg")).read()

    stored = Image.open(io.BytesIO(cleaned))
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"CameraMaker" not in cleaned
    assert stored.size == (30, 40)  # turned upright


def test_bytes_after_the_image_do_not_survive():
    polyglot = picture("PNG") + b"<html><script>alert(document.cookie)</script>"

    cleaned = image_clean(upload(polyglot)).read()

    assert b"<script>" not in cleaned


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"GIF89a<script>alert(1)</script>",
        b"%PDF-1.7\n",
        b"",
    ],
    ids=["html", "gif-header-then-script", "pdf", "empty"],
)
def test_a_file_that_is_no_image_is_refused_with_a_clear_message(data):
    with pytest.raises(ImageRejected) as error:
        image_clean(upload(data, name="poster.png"))

    assert str(error.value) == (
        "This file is not a JPEG, PNG, WebP or GIF image, or it is damaged."
    )
    assert (error.value.code, error.value.field) == ("invalid_image", "image")


def test_a_truncated_image_is_refused():
    data = picture("PNG", size=(400, 300))
    with pytest.raises(ImageRejected, match="damaged"):
        image_clean(upload(data[: len(data) // 2]))


def test_another_format_is_refused():
    data = picture("BMP")
    with pytest.raises(ImageRejected, match="not a JPEG, PNG, WebP or GIF"):
        image_clean(upload(data, name="poster.bmp"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch):
    # 10,000 x 10,000 pixels of one colour: a small file, 100 million pixels.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000  # given: small on disk

    with pytest.raises(ImageRejected) as error:
        image_clean(upload(buffer.getvalue()))

    assert str(error.value) == "The image has more than 40 million pixels."


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    data = picture("PNG", size=(200, 200)) + b"\0" * 1000

    with pytest.raises(ImageRejected) as error:
        image_clean(upload(data))

    assert "larger than" in str(error.value)
