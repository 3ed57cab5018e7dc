"""The HTML body of a feed item, shared by Atom, RSS and JSON Feed.

The stored excerpt and insight are already sanitized (``veille.core.sanitize``); the bits added here
(image, headings, credit, source link) are built with ``format_html`` so that names, titles and URLs
are escaped.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from veille.core.urls_util import absolute_url
from veille.topics.models import Scoop


def public_url(url: str) -> str:
    """``url`` made absolute when it is a web address or a local path; "" for anything else."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return absolute_url(url)
    if urlsplit(url).scheme in {"http", "https"}:
        return url
    return ""


def item_html(scoop: Scoop) -> str:
    """Lead image, excerpt, the curator's insight, the first curator's credit, the source link;
    behind a content warning, only the warning and the links (feed readers show no <details>)."""
    if scoop.content_warning:
        return "\n".join(part for part in (_warning(scoop), source_html(scoop)) if part)
    parts = (
        _image(scoop),
        mark_safe(scoop.excerpt_html),  # noqa: S308 - sanitized when saved
        _insight(scoop),
        credit_html(scoop),
        source_html(scoop),
    )
    return "\n".join(part for part in parts if part)


def _interpolate(template: str, **parts: SafeString) -> SafeString:
    """A translated sentence with HTML parts in it: the sentence is escaped, the parts are not."""
    return mark_safe(conditional_escape(template) % parts)  # noqa: S308 - every piece is escaped


def link_html(url: str, text: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def _warning(scoop: Scoop) -> str:
    sentence = _interpolate(
        _("Content warning: %(warning)s. %(link)s"),
        warning=conditional_escape(scoop.content_warning),
        link=link_html(absolute_url(scoop.get_absolute_url()), _("Read the post")),
    )
    return format_html("<p>{}</p>", sentence)


def _image(scoop: Scoop) -> str:
    url = public_url(scoop.lead_image_src)  # our copy: feeds do not hot-link either
    if not url:
        return ""
    return format_html('<p><img src="{}" alt="{}"></p>', url, scoop.image_alt)


def _insight(scoop: Scoop) -> str:
    if not scoop.insight_html:
        return ""
    heading = _("Curator's insight (%(name)s):") % {"name": scoop.curator.name}
    return format_html(
        "<p><strong>{}</strong></p>\n{}",
        heading,
        mark_safe(scoop.insight_html),  # noqa: S308 - rendered and sanitized when saved
    )


def credit_html(scoop: Scoop) -> str:
    """Credit to the first curator of a rescoop (``root`` survives any chain of rescoops)."""
    root = scoop.root
    if root is None:
        return ""
    sentence = _interpolate(
        _("Originally scooped by %(curator)s in %(topic)s."),
        curator=link_html(absolute_url(root.curator.get_absolute_url()), root.curator.name),
        topic=link_html(absolute_url(root.topic.get_absolute_url()), root.topic.title),
    )
    return format_html("<p>{}</p>", sentence)


def source_html(scoop: Scoop) -> str:
    url = public_url(scoop.source_url)
    if not url:
        return ""
    host = urlsplit(url).hostname or url
    return format_html("<p>{}</p>", _interpolate(_("Source: %(link)s"), link=link_html(url, host)))
