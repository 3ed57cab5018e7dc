"""The lead image of a page and the other candidates a curator may pick instead.

The page's own choice (OpenGraph, Twitter card, JSON-LD) comes first; then large images of the
article body. Logos, avatars, icons, sprites and tracking pixels are recognised by name and size
attributes, since capture never downloads an image to measure it.
"""

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .metadata import Page, absolute_url, main_region, meta_images

MAX_CANDIDATES = 8
MIN_LONG_SIDE = 300
# A 16:9 picture 480 pixels wide is 270 high: the short side may be smaller than the long one.
MIN_SHORT_SIDE = 150
NOT_A_PICTURE = re.compile(
    r"(?<![a-z])(logo|logos|avatar|avatars|icon|icons|favicon|sprite|sprites|tracking|tracker|"
    r"spacer|blank|badge|emoji|gravatar|placeholder|loading|loader|1x1|share|button)(?![a-z])"
    # "pixel-8-review.jpg" is a photograph; "pixel.gif" or "/pixel?id=" is a tracker.
    r"|(?<![a-z])pixel(?:\.gif|\.png|\?|/|$)",
    re.IGNORECASE,
)
LAZY_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
SKIPPED_ANCESTORS = {"nav", "footer", "aside", "form"}


def choose_images(page: Page) -> tuple[str | None, list[str]]:
    """The lead image (None when there are only logos and icons) and the ordered, de-duplicated
    candidates a curator may pick from, the lead first, at most MAX_CANDIDATES."""
    declared = meta_images(page)
    good = [url for url in declared if not NOT_A_PICTURE.search(_path(url))]
    pictures = _unique(good + body_images(page))
    # A site logo as og:image is still offered to the curator, last, but never chosen.
    logos = [url for url in declared if url not in good]
    candidates = _unique(pictures + logos)[:MAX_CANDIDATES]
    return (pictures[0] if pictures else None), candidates


def _unique(urls: list[str]) -> list[str]:
    """First occurrence of each image, an http and an https address of one file counting once."""
    seen: dict[str, str] = {}
    for url in urls:
        seen.setdefault(url.split("://", 1)[-1], url)
    return list(seen.values())


def body_images(page: Page) -> list[str]:
    """Large images of the article body, in page order."""
    found = []
    for img in main_region(page.tree).iter("img"):
        if _is_skipped(img) or not _large_enough(img):
            continue
        url = absolute_url(page.base, _source(img))
        if url and not _looks_decorative(img, url):
            found.append(url)
    return found


def _is_skipped(img: HtmlElement) -> bool:
    return any(ancestor.tag in SKIPPED_ANCESTORS for ancestor in img.iterancestors())


def _source(img: HtmlElement) -> str | None:
    """The real picture of a lazy-loaded <img>, else the largest ``srcset`` entry."""
    for attribute in LAZY_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return _largest_in_srcset(img.get("srcset") or img.get("data-srcset") or "")


def _largest_in_srcset(srcset: str) -> str | None:
    best, best_width = None, -1.0
    for entry in srcset.split(","):
        parts = entry.split()
        if not parts or parts[0].startswith("data:"):
            continue
        descriptor = parts[1] if len(parts) > 1 else "1x"
        width = _number(descriptor[:-1]) or 0.0
        if width > best_width:
            best, best_width = parts[0], width
    return best


def _large_enough(img: HtmlElement) -> bool:
    sizes = [size for size in (_number(img.get("width")), _number(img.get("height"))) if size]
    if not sizes:
        return True
    return max(sizes) >= MIN_LONG_SIDE and min(sizes) >= MIN_SHORT_SIDE


def _looks_decorative(img: HtmlElement, url: str) -> bool:
    names = " ".join((_path(url), img.get("class") or "", img.get("id") or ""))
    return bool(NOT_A_PICTURE.search(names)) or _path(url).lower().endswith(".svg")


def _path(url: str) -> str:
    """The part of an image URL that names the file (the host says nothing about it)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _number(value: str | None) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", value or "")
    return float(match.group(1)) if match else None
