"""Checking and thumbnailing the images that scoops show, from bytes fetched on the open web.

Every image is hostile until proven otherwise: its type is read from its own bytes (never from a
file name or a Content-Type), its pixel count is checked from the header before any pixel is
decoded, and only four raster formats are even parsed (SVG can carry scripts). Thumbnails are
re-encoded from decoded pixels into a fresh image, so nothing of the original file (EXIF with GPS
positions, XMP, comments) reaches readers. docs/urls-and-images.md gives the sizes and the reasons.
"""

import contextlib
import hashlib
import io
import struct
from dataclasses import dataclass, field

from PIL import Image, ImageOps, features

try:
    from PIL import ImageCms

    _SRGB = ImageCms.createProfile("sRGB")
except ImportError:  # pragma: no cover - Pillow built without LittleCMS: colours are kept as is
    ImageCms = None
    _SRGB = None

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The page column is 46rem (736 px). 1200: the post page's lead image, sharp on most high-density
# screens; 720: the topic page's cards, one column wide, light enough for 25 of them on a page.
THUMBNAIL_WIDTHS = (1200, 720)
# A thumbnail is at most this many times taller than wide, so an infographic stays a picture.
MAX_HEIGHT_RATIO = 2
WEBP_QUALITY = 80
JPEG_QUALITY = 82
DEFAULT_FORMAT = "webp" if features.check("webp") else "jpeg"

_MIME_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # Phone and camera JPEGs that embed a second picture.
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
_JPEG = ("JPEG", "MPO")
_OPENERS = ["JPEG", "PNG", "GIF", "WEBP"]  # The JPEG opener is the one that yields MPO.
_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
# What Pillow raises on damaged input, beyond its own UnidentifiedImageError (an OSError).
_DAMAGE = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)


class ImageRejected(ValueError):
    """The bytes are not an image Veille accepts; the message says why, for the curator."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "JPEG", "PNG", "GIF" or "WEBP"
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Thumbnail:
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    data: bytes = field(repr=False)


def inspect_image(
    data: bytes, *, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_BYTES
) -> ImageInfo:
    """What the image is, after proving it is an accepted, sound and reasonably sized one."""
    info = _check(data, max_pixels=max_pixels, max_bytes=max_bytes)
    with _open(data) as img:
        if img.format in _JPEG:
            img.draft(None, (1, 1))  # Decode at 1/8 scale: still reads every byte, so finds cuts.
        img.load()
    return info


def make_thumbnails(
    data: bytes,
    *,
    widths: tuple[int, ...] = THUMBNAIL_WIDTHS,
    fmt: str = DEFAULT_FORMAT,
    max_pixels: int = MAX_PIXELS,
    max_bytes: int = MAX_BYTES,
) -> list[Thumbnail]:
    """One thumbnail per distinct size, largest first; never larger than the image itself.

    The image is decoded once (the first frame of an animation), turned upright from its EXIF
    orientation, converted to sRGB, then resized for each width and encoded without metadata.
    """
    if fmt not in _EXTENSIONS:
        raise ValueError(f"Unknown thumbnail format {fmt!r}; use one of {sorted(_EXTENSIONS)}.")
    _check(data, max_pixels=max_pixels, max_bytes=max_bytes)
    image = _decode_upright(data, draft_width=max(widths))
    sizes = dict.fromkeys(_fit(image.size, width) for width in sorted(widths, reverse=True))
    return [_encode(image, size, fmt) for size in sizes]


def thumbnail_name(source: bytes, width: int, fmt: str) -> str:
    """Where a thumbnail of ``source`` (the original image's bytes) is stored, relative.

    Named from the bytes, not the URL: one picture served under many URLs is stored once, and a
    picture replaced at the same URL gets a new name, so thumbnails can be cached forever.
    """
    if fmt not in _EXTENSIONS:
        raise ValueError(f"Unknown thumbnail format {fmt!r}; use one of {sorted(_EXTENSIONS)}.")
    digest = hashlib.sha256(source).hexdigest()
    return f"thumbs/{digest[:2]}/{digest}-{int(width)}.{_EXTENSIONS[fmt]}"


def _check(data: bytes, *, max_pixels: int, max_bytes: int) -> ImageInfo:
    if not data:
        raise ImageRejected("The image is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The image is too large: {len(data)} bytes, at most {max_bytes}.")
    with _open(data) as img:
        if img.format not in _MIME_TYPES:  # _open already limits the formats; stay sure.
            raise ImageRejected(f"{img.format} images are not accepted.")
        width, height = img.size  # From the header: Image.open has not decoded any pixel yet.
        if width * height > max_pixels:
            raise ImageRejected(f"The image has too many pixels: {width}x{height}.")
        img.verify()
    fmt = "JPEG" if img.format in _JPEG else img.format
    return ImageInfo(format=fmt, width=width, height=height, mime=_MIME_TYPES[img.format])


@contextlib.contextmanager
def _open(data: bytes):
    """Image.open restricted to the accepted formats, with Pillow's errors made ImageRejected."""
    try:
        with Image.open(io.BytesIO(data), formats=_OPENERS) as img:
            yield img
    except ImageRejected:
        raise
    except Image.UnidentifiedImageError as error:
        raise ImageRejected(_unidentified_reason(data)) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(f"The image has too many pixels ({error}).") from error
    except _DAMAGE as error:
        raise ImageRejected(f"The image is damaged or truncated ({error}).") from error


def _unidentified_reason(data: bytes) -> str:
    if b"<svg" in data[:4096].lower():
        return "SVG images are not accepted: they can carry scripts."
    return "This is not a JPEG, PNG, GIF or WebP image."


def _decode_upright(data: bytes, *, draft_width: int) -> Image.Image:
    """The first frame, decoded, upright and in RGB or RGBA."""
    with _open(data) as img:
        if img.format in _JPEG:
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when still at least this large.
            img.draft(None, (draft_width, draft_width))
        img.load()
        return _to_rgb(_upright(img))


def _upright(img: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(img)
    except _DAMAGE:  # A broken EXIF block should not cost the picture; show it as stored.
        return img


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode.startswith("I"):  # 16-bit greyscale PNG: scale to 8 bits instead of clipping.
        img = img.convert("I").point(lambda value: value / 256).convert("L")
    alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    return _to_srgb(img, alpha).convert("RGBA" if alpha else "RGB")


def _to_srgb(img: Image.Image, alpha: bool) -> Image.Image:
    # The ICC profile is dropped with the rest of the metadata, so apply it to the pixels first
    # (wide-gamut phone photos would look dull otherwise).
    profile = img.info.get("icc_profile")
    if not profile or _SRGB is None or img.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if alpha else "RGB"
        return ImageCms.profileToProfile(img, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # An unusable profile: plain conversion beats no picture.


def _fit(size: tuple[int, int], width: int) -> tuple[int, int]:
    original_width, original_height = size
    scale = min(1.0, width / original_width, width * MAX_HEIGHT_RATIO / original_height)
    return max(1, round(original_width * scale)), max(1, round(original_height * scale))


def _encode(image: Image.Image, size: tuple[int, int], fmt: str) -> Thumbnail:
    resized = image
    if image.size != size:
        resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    # A fresh image from raw pixels carries no EXIF, XMP, ICC profile or comment to write out.
    clean = Image.frombytes(resized.mode, resized.size, resized.tobytes())
    buffer = io.BytesIO()
    if fmt == "webp":
        clean.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        _flatten(clean).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Thumbnail(width=size[0], height=size[1], format=fmt, data=buffer.getvalue())


def _flatten(img: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the picture on white, as a page would show it."""
    if img.mode != "RGBA":
        return img
    background = Image.new("RGB", img.size, "white")
    background.paste(img, mask=img.getchannel("A"))
    return background
