"""The one allow-list for every HTML fragment Veille stores.

Markdown insights, imported excerpts, feed summaries and remote comments all pass through
``clean_html`` before they are saved; templates then print the stored HTML as safe. nh3 (ammonia)
builds its cleaner per call, so nothing is shared across threads.
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


def clean_html(fragment: str) -> str:
    """Return ``fragment`` with everything outside the allow-list removed.

    Links get ``rel="nofollow noopener noreferrer ugc"``: stored HTML comes from people and feeds we
    do not vouch for.
    """
    if not fragment:
        return ""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    ).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (for summaries, search and feed titles)."""
    text = nh3.clean(fragment or "", tags=set(), strip_comments=True)
    return " ".join(html.unescape(text).split())
