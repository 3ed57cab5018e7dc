"""The schema.org JSON-LD a page embeds, reduced to what capture reads.

Publishers write it in many shapes (one object, a list, a Yoast-style ``@graph`` whose objects point
at each other by ``@id``, types with or without the ``https://schema.org/`` prefix), and sometimes
with broken JSON: a block that does not parse is skipped, never an error.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "socialmediaposting",
    "discussionforumposting",
    "videoobject",
    "review",
    "recipe",
    "howto",
}
PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "profilepage", "qapage"}


@dataclass
class JsonLd:
    """The page's main object (an article if there is one, else a web page) and the site's name."""

    main: dict[str, Any] = field(default_factory=dict)
    website: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.deref(self.main.get(key))

    def deref(self, value: Any) -> Any:
        """Follow ``{"@id": ...}`` references into the graph (one level is all publishers use)."""
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.by_id.get(str(value["@id"]), value)
        if isinstance(value, list):
            return [self.deref(item) for item in value]
        return value

    def names(self, key: str) -> list[str]:
        """Names of a person/organization field (``author``, ``publisher``), however written."""
        value = self.get(key)
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            item = self.deref(item)
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip():
                found.append(" ".join(name.split()))
        return found

    def text(self, key: str) -> str | None:
        value = self.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None

    def urls(self, key: str) -> list[str]:
        """URLs of a field that may be a string, a list, or ImageObject/WebPage objects."""
        value = self.get(key)
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            item = self.deref(item)
            if isinstance(item, dict):
                item = item.get("url") or item.get("contentUrl") or item.get("@id")
            if isinstance(item, str) and item.strip():
                found.append(item.strip())
        return found


def read_jsonld(tree: HtmlElement) -> JsonLd:
    objects = list(_objects(tree))
    by_id = {str(obj["@id"]): obj for obj in objects if isinstance(obj.get("@id"), str)}
    main = _first_of(objects, ARTICLE_TYPES) or _first_of(objects, PAGE_TYPES) or {}
    website = _first_of(objects, {"website"}) or {}
    return JsonLd(main=main, website=website, by_id=by_id)


def types_of(obj: dict[str, Any]) -> set[str]:
    """``"schema:NewsArticle"``, ``"https://schema.org/NewsArticle"`` -> ``{"newsarticle"}``."""
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for v in values if isinstance(v, str)}


def _first_of(objects: list[dict[str, Any]], types: set[str]) -> dict[str, Any] | None:
    return next((obj for obj in objects if types_of(obj) & types), None)


def _objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"])
        if "@type" in data:
            yield data
