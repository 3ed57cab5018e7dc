"""The one allow-list for every HTML fragment Veille stores.

Markdown insights, imported excerpts, feed summaries and remote comments all pass through
``clean_html`` before they are saved; templates then print the stored HTML as safe. The cleaners
are built once: ``nh3.clean`` builds one per call, three times the cost of cleaning a feed item's
summary (nh3's ``Cleaner`` is immutable and can be used from any thread).
"""

import html

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)
_TEXT = nh3.Cleaner(tags=set(), strip_comments=True)


def clean_html(fragment: str) -> str:
    """Return ``fragment`` with everything outside the allow-list removed.

    Links get ``rel="nofollow noopener noreferrer ugc"``: stored HTML comes from people and feeds we
    do not vouch for.
    """
    if not fragment:
        return ""
    return _CLEANER.clean(fragment).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (for summaries, search and feed titles)."""
    text = _TEXT.clean(fragment or "")
    return " ".join(html.unescape(text).split())
