"""One parsed item (a feedparser-style dict, from either parser) to a clean ``FeedEntry``.

Both fastfeedparser and feedparser return feedparser-shaped dicts, with small differences handled
here (dates as ISO strings or ``struct_time``; enclosures under ``url`` or ``href``; an image as a
URL or as ``{"href": ...}``). Every URL is resolved against the entry's base and must end up
http(s); every HTML fragment goes through ``clean_html``.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from veille.capture.metadata import absolute_url
from veille.core.sanitize import clean_html, html_to_text
from veille.sources.entries import FeedEntry
from veille.sources.feedextras import ItemExtras

MAX_HTML_CHARS = 100_000  # of a summary before cleaning: nobody reads more in a suggestion card
MAX_TAGS = 20
TITLE_FROM_TEXT_CHARS = 120
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""\b(src|width|height)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
FUTURE_SLACK = timedelta(days=1)


def build_entry(raw: dict, *, base: str, language: str, extras: ItemExtras) -> FeedEntry | None:
    """The entry, or None when it has no usable http(s) link."""
    base = absolute(base, extras.base) or base
    url = _link(raw, base)
    if not url:
        return None
    summary = extras.summary_html or _summary_html(raw, extras.has_description)
    return FeedEntry(
        url=url,
        title=_title(raw, summary),
        summary_html=absolutize_html(clean_html(summary), base),
        image=_image(raw, base, extras),
        published=_date(raw),
        author=plain_text(raw.get("author"))[:200],
        language=language_code(extras.language or language),
        guid=str(raw.get("id") or "")[:500],
        tags=_tags(raw),
    )


def plain_text(value) -> str:
    """Text of a title or a name; most have no markup at all and skip the sanitizer."""
    value = str(value or "")
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    return html_to_text(value)


def absolute(base: str, url: str | None) -> str:
    """``url`` (HTML-escaped or not) resolved against ``base``; empty unless it is http(s)."""
    if not url or not isinstance(url, str):
        return ""
    return absolute_url(base, html.unescape(url)) or ""


def absolutize_html(fragment: str, base: str) -> str:
    """Relative ``href``/``src`` of cleaned HTML made absolute (nh3 writes them double-quoted)."""
    if not fragment or not base:
        return fragment

    def resolve(match: re.Match) -> str:
        value = absolute(base, match.group(2))
        return f'{match.group(1)}="{html.escape(value)}"' if value else ""

    return URL_ATTRIBUTE.sub(resolve, fragment)


def language_code(value: str) -> str:
    """``fr-FR`` -> ``fr``; anything that is not a language tag -> empty."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


def _link(raw: dict, base: str) -> str:
    candidates = [raw.get("link")]
    candidates += [
        link.get("href")
        for link in raw.get("links") or ()
        if link.get("rel") in (None, "alternate")
    ]
    guid = raw.get("id")
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        candidates.append(guid)  # RSS: a permalink guid stands for a missing <link>
    for candidate in candidates:
        url = absolute(base, candidate)
        if url:
            return url[:2000]
    return ""


def _summary_html(raw: dict, has_description: bool | None = None) -> str:
    """The item's description, else its content (never the parser's plain-text digest of it)."""
    summary = "" if has_description is False else raw.get("summary") or raw.get("description")
    if not summary:
        for content in raw.get("content") or ():
            if content.get("value"):
                summary = content["value"]
                break
    return str(summary or "")[:MAX_HTML_CHARS]


def _title(raw: dict, summary: str) -> str:
    title = plain_text(raw.get("title"))
    if title:
        return title[:300]
    # RSS 0.92 items may have only a description: its first words stand for the title.
    text = html_to_text(summary)
    if len(text) <= TITLE_FROM_TEXT_CHARS:
        return text
    return text[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + "…"


def _image(raw: dict, base: str, extras: ItemExtras) -> str:
    for candidate in _image_candidates(raw, extras):
        url = absolute(base, candidate)
        if url:
            return url[:2000]
    return ""


def _image_candidates(raw: dict, extras: ItemExtras):
    """Enclosures, Media RSS, iTunes, JSON Feed, then the first real <img> of the content."""
    enclosures = [*(raw.get("enclosures") or ())]
    enclosures += [link for link in raw.get("links") or () if link.get("rel") == "enclosure"]
    for enclosure in enclosures:
        if str(enclosure.get("type") or "").startswith("image/"):
            yield enclosure.get("url") or enclosure.get("href")
    for media in raw.get("media_content") or ():
        kind = str(media.get("medium") or media.get("type") or "")
        if kind == "image" or kind.startswith("image/"):
            yield media.get("url")
    for media in raw.get("media_thumbnail") or ():
        yield media.get("url")
    image = raw.get("image")
    yield extras.image or (image.get("href") if isinstance(image, dict) else image)
    yield raw.get("banner_image")
    for content in [*(raw.get("content") or ()), {"value": _summary_html(raw)}]:
        yield _first_img(str(content.get("value") or ""))


def _first_img(fragment: str) -> str:
    for tag in IMG_TAG.findall(fragment):
        attributes = {name.lower(): value for name, value in ATTRIBUTE.findall(tag)}
        if attributes.get("width") == "1" or attributes.get("height") == "1":
            continue  # a tracking pixel
        if attributes.get("src"):
            return attributes["src"]
    return ""


def _date(raw: dict) -> datetime | None:
    for name in ("published", "updated", "created"):
        parsed = raw.get(f"{name}_parsed")
        if parsed:  # feedparser: a struct_time in UTC
            value = datetime(*parsed[:6], tzinfo=UTC)
        else:
            value = iso_date(raw.get(name))
        if value is not None:
            # A date days ahead is a broken clock or a trick to stay on top: say "now" instead.
            now = datetime.now(UTC)
            return now if value > now + FUTURE_SLACK else value
    return None


def iso_date(text) -> datetime | None:
    """An ISO 8601 date, UTC when it names no offset; None when it is not one."""
    if not text or not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _tags(raw: dict) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in raw.get("tags") or ():
        term = plain_text(tag.get("term") or tag.get("label"))[:100]
        if term and term not in tags:
            tags.append(term)
    return tuple(tags[:MAX_TAGS])
