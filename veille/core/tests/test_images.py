import io
import random
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms

from veille.core.images import (
    ImageInfo,
    ImageRejected,
    inspect_image,
    make_thumbnails,
    thumbnail_name,
)

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 160, 0)


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_header_only(width, height):
    """A structurally valid PNG that claims width x height pixels but carries almost no data."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo_with_exif():
    """400x200 as stored, left half red, right half blue; EXIF says "rotate 90° clockwise"."""
    img = Image.new("RGB", (400, 200), RED)
    img.paste(BLUE, (200, 0, 400, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 36.0, 16.0)
    data = encode(img, "JPEG", exif=exif, quality=95)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # test is real
    return data


def noise_jpeg(width=300, height=300):
    rng = random.Random(4)
    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    return encode(img, "JPEG", quality=90)


def reopen(thumbnail):
    img = Image.open(io.BytesIO(thumbnail.data))
    img.load()
    return img


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("PNG", ImageInfo("PNG", 64, 48, "image/png")),
        ("JPEG", ImageInfo("JPEG", 64, 48, "image/jpeg")),
        ("GIF", ImageInfo("GIF", 64, 48, "image/gif")),
        ("WEBP", ImageInfo("WEBP", 64, 48, "image/webp")),
    ],
)
def test_inspect_image_reads_type_and_size_from_the_bytes(fmt, expected):
    assert inspect_image(encode(Image.new("RGB", (64, 48), GREEN), fmt)) == expected


def test_inspect_image_takes_a_camera_mpo_for_the_jpeg_it_is():
    first, second = Image.new("RGB", (64, 48), RED), Image.new("RGB", (64, 48), BLUE)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert inspect_image(data) == ImageInfo("JPEG", 64, 48, "image/jpeg")


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><body><img src=x></body></html>",
        b"GIF89a but not really",
        b"\x00" * 100,
    ],
    ids=["html", "fake-gif-signature", "zeros"],
)
def test_inspect_image_refuses_what_is_not_an_image(data):
    with pytest.raises(ImageRejected, match="not a JPEG, PNG, GIF or WebP"):
        inspect_image(data)


def test_inspect_image_refuses_svg_because_it_can_carry_scripts():
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    with pytest.raises(ImageRejected, match="SVG"):
        inspect_image(svg)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_inspect_image_refuses_other_raster_formats(fmt):
    with pytest.raises(ImageRejected, match="not a JPEG, PNG, GIF or WebP"):
        inspect_image(encode(Image.new("RGB", (16, 16), RED), fmt))


def test_inspect_image_refuses_empty_and_oversized_files():
    data = encode(Image.new("RGB", (64, 64), RED), "PNG")
    with pytest.raises(ImageRejected, match="empty"):
        inspect_image(b"")
    with pytest.raises(ImageRejected, match="too large"):
        inspect_image(data, max_bytes=len(data) - 1)
    assert inspect_image(data, max_bytes=len(data)).width == 64


def test_inspect_image_refuses_a_decompression_bomb_from_its_header():
    bomb = png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(ImageRejected, match="too many pixels"):
        inspect_image(bomb)


def test_pixel_limit_is_checked_before_any_pixel_is_decoded():
    # 64 megapixels with a 64-byte IDAT: decoding would fail as "damaged"; the header check
    # must refuse it first, for the pixel count.
    with pytest.raises(ImageRejected, match="too many pixels: 8000x8000"):
        inspect_image(png_header_only(8000, 8000))
    with pytest.raises(ImageRejected, match="too many pixels: 200x100"):
        inspect_image(encode(Image.new("RGB", (200, 100)), "PNG"), max_pixels=19_999)


def test_inspect_image_refuses_a_truncated_jpeg():
    data = noise_jpeg()
    assert inspect_image(data).format == "JPEG"
    with pytest.raises(ImageRejected, match="truncated"):
        inspect_image(data[: len(data) // 2])
    with pytest.raises(ImageRejected, match="truncated"):
        make_thumbnails(data[: len(data) // 2])


def test_inspect_image_refuses_a_png_with_a_corrupted_chunk():
    data = bytearray(encode(Image.new("RGB", (64, 64), RED), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF
    with pytest.raises(ImageRejected):
        inspect_image(bytes(data))


def test_thumbnails_fit_the_widths_and_keep_the_aspect_ratio():
    data = encode(Image.new("RGB", (3000, 1000), GREEN), "PNG")
    thumbs = make_thumbnails(data, widths=(720, 1200))
    assert [(t.width, t.height) for t in thumbs] == [(1200, 400), (720, 240)]
    assert [reopen(t).size for t in thumbs] == [(1200, 400), (720, 240)]


def test_thumbnails_keep_the_aspect_ratio_of_awkward_sizes():
    data = encode(Image.new("RGB", (1999, 1333), GREEN), "PNG")
    (large, small) = make_thumbnails(data, widths=(1200, 720))
    for thumb in (large, small):
        assert thumb.height == round(thumb.width * 1333 / 1999)


def test_thumbnails_never_upscale_a_small_image():
    data = encode(Image.new("RGB", (300, 200), GREEN), "PNG")
    thumbs = make_thumbnails(data)
    assert [(t.width, t.height) for t in thumbs] == [(300, 200)]
    assert reopen(thumbs[0]).size == (300, 200)


def test_thumbnails_of_a_tall_infographic_are_capped_in_height():
    data = encode(Image.new("RGB", (500, 5000), GREEN), "PNG")
    thumbs = make_thumbnails(data, widths=(1200, 720))
    assert [(t.width, t.height) for t in thumbs] == [(240, 2400), (144, 1440)]


def test_thumbnails_apply_exif_orientation_and_strip_all_metadata():
    (thumb,) = make_thumbnails(photo_with_exif(), widths=(480,))
    img = reopen(thumb)
    assert img.size == (200, 400)  # upright: the stored landscape is a portrait
    rgb = img.convert("RGB")
    top, bottom = rgb.getpixel((100, 20)), rgb.getpixel((100, 380))
    assert top[0] > 200 and top[2] < 60  # the stored left half (red) is now on top
    assert bottom[2] > 200 and bottom[0] < 60
    assert "exif" not in img.info and "xmp" not in img.info and "icc_profile" not in img.info
    assert dict(img.getexif()) == {}
    assert b"PhoneMaker" not in thumb.data and b"Exif" not in thumb.data


def test_jpeg_thumbnails_have_no_exif_either():
    (thumb,) = make_thumbnails(photo_with_exif(), widths=(480,), fmt="jpeg")
    img = reopen(thumb)
    assert (img.format, img.size) == ("JPEG", (200, 400))
    assert "exif" not in img.info and dict(img.getexif()) == {}
    assert b"PhoneMaker" not in thumb.data


def test_thumbnail_of_an_animated_gif_is_its_first_frame():
    frames = [Image.new("RGB", (120, 80), colour) for colour in (RED, GREEN, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    (thumb,) = make_thumbnails(data)
    img = reopen(thumb)
    assert (img.size, getattr(img, "n_frames", 1)) == ((120, 80), 1)
    red, green, blue = img.convert("RGB").getpixel((60, 40))
    assert red > 200 and green < 60 and blue < 60


def test_thumbnail_of_a_transparent_png_keeps_alpha_in_webp():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((*BLUE, 255), (50, 0, 100, 100))
    (thumb,) = make_thumbnails(encode(img, "PNG"), fmt="webp")
    out = reopen(thumb)
    assert out.mode == "RGBA"
    assert out.getpixel((10, 50))[3] == 0 and out.getpixel((90, 50))[3] == 255


def test_transparent_png_becomes_white_in_a_jpeg_thumbnail():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    (thumb,) = make_thumbnails(encode(img, "PNG"), fmt="jpeg")
    assert min(reopen(thumb).convert("RGB").getpixel((50, 50))) > 245


def test_thumbnail_applies_the_icc_profile_then_drops_it():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (64, 64), (200, 100, 50)), "PNG", icc_profile=srgb)
    (thumb,) = make_thumbnails(data, fmt="webp")
    img = reopen(thumb)
    assert "icc_profile" not in img.info
    assert all(abs(a - b) <= 3 for a, b in zip(img.getpixel((32, 32)), (200, 100, 50), strict=True))


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    data = encode(Image.new("I;16", (32, 32), 1000), "PNG")  # dark grey: 1000 / 65535
    (thumb,) = make_thumbnails(data)
    assert max(reopen(thumb).convert("RGB").getpixel((16, 16))) < 20


def test_make_thumbnails_refuses_what_inspect_image_refuses():
    with pytest.raises(ImageRejected, match="too many pixels"):
        make_thumbnails(png_header_only(100_000, 100_000))
    with pytest.raises(ImageRejected, match="SVG"):
        make_thumbnails(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(ValueError, match="Unknown thumbnail format"):
        make_thumbnails(encode(Image.new("RGB", (8, 8)), "PNG"), fmt="gif")


def test_thumbnail_name_is_the_sha256_of_the_source_bytes():
    empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert thumbnail_name(b"", 480, "webp") == f"thumbs/e3/{empty_sha256}-480.webp"
    assert thumbnail_name(b"", 1200, "jpeg") == f"thumbs/e3/{empty_sha256}-1200.jpg"


def test_thumbnail_name_differs_only_when_the_bytes_differ():
    a, b = b"first image bytes", b"second image bytes"
    assert thumbnail_name(a, 480, "webp") == thumbnail_name(a, 480, "webp")
    assert thumbnail_name(a, 480, "webp") != thumbnail_name(b, 480, "webp")
    with pytest.raises(ValueError, match="Unknown thumbnail format"):
        thumbnail_name(a, 480, "png")
