"""Uploaded images are checked and re-encoded in this one place before they are stored.

A file is accepted only when Pillow recognises it as JPEG, PNG, WebP or GIF, it is
at most MAX_BYTES long and MAX_PIXELS large (a decompression bomb is refused before
it is decoded), and it decodes completely (a truncated file is refused). It is then
drawn anew from its pixels: the stored file holds no EXIF (camera, GPS position),
comments or trailing bytes (an HTML or script "polyglot" appended to a picture), and
its orientation is applied to the pixels. The colour profile is kept.
"""

import io
import warnings
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's format name -> the file extension we store it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
JPEG_QUALITY = 90


class ImageRejected(DomainError):
    code = "invalid_image"


def image_clean(uploaded, *, field: str = "image") -> ContentFile:
    """The upload, checked and re-encoded without metadata, ready to store."""
    data = _read(uploaded, field)
    image = _open(data, field)
    cleaned = _reencode(image, field)
    name = get_valid_filename(Path(getattr(uploaded, "name", "") or "image").stem)
    return ContentFile(cleaned, name=f"{name or 'image'}.{FORMATS[image.format]}")


def _read(uploaded, field: str) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_big(field)
    uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big(field)
    return data


def _too_big(field: str) -> ImageRejected:
    return ImageRejected(
        _("The image is larger than %(megabytes)d MB."),
        params={"megabytes": MAX_BYTES // (1024 * 1024)},
        field=field,
    )


def _unreadable(field: str) -> ImageRejected:
    return ImageRejected(
        _("This file is not a JPEG, PNG, WebP or GIF image, or it is damaged."),
        field=field,
    )


def _open(data: bytes, field: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            if width * height * frames > MAX_PIXELS:
                raise _too_many_pixels(field)
            probe.verify()  # structure and checksums, without decoding
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            image.load()  # decodes everything: a truncated file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _unreadable(field) from None
    return image


def _too_many_pixels(field: str) -> ImageRejected:
    return ImageRejected(
        _("The image has more than %(megapixels)d million pixels."),
        params={"megapixels": MAX_PIXELS // 1_000_000},
        field=field,
    )


def _reencode(image: Image.Image, field: str) -> bytes:
    kind = image.format
    icc = image.info.get("icc_profile")
    out = io.BytesIO()
    try:
        if kind == "GIF" and getattr(image, "n_frames", 1) > 1:
            frames = _gif_frames(image)
            frames[0].save(
                out,
                "GIF",
                save_all=True,
                append_images=frames[1:],
                loop=image.info.get("loop", 0),
                duration=image.info.get("duration", 100),
            )
            return out.getvalue()
        clean = _pixels_only(ImageOps.exif_transpose(image), kind)
        options = {"icc_profile": icc} if icc and kind != "GIF" else {}
        if kind == "JPEG":
            options.update(quality=JPEG_QUALITY, optimize=True)
        elif kind == "WEBP":
            options.update(quality=JPEG_QUALITY)
        clean.save(out, kind, **options)
    except (OSError, ValueError):
        raise _unreadable(field) from None
    return out.getvalue()


def _pixels_only(image: Image.Image, kind: str) -> Image.Image:
    """A copy of the pixels with no metadata attached."""
    if kind == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    clean.paste(image)
    return clean


def _gif_frames(image: Image.Image) -> list[Image.Image]:
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA"))
    return frames
