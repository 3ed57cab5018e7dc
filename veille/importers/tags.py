"""Tags for imported scoops, found or created once per import (a file uses few tags, many times).

Names are read as topics.services reads them (``#`` dropped, one tag per slug), so that an
imported tag and a typed one are the same tag.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from veille.topics.models import Scoop, Tag

MAX_CACHED = 10_000  # tags are few, but a file could make every link's tags unique


class TagCache:
    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def ids(self, names: Iterable[str]) -> list[int]:
        """The ids of the tags named ``names``, created when missing."""
        ids = set()
        for name in names:
            name = name.strip().lstrip("#").strip()
            slug = slugify(name)[:100]
            if not slug:
                continue
            if slug not in self._ids:
                if len(self._ids) >= MAX_CACHED:
                    self._ids.clear()
                tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:100]})
                self._ids[slug] = tag.pk
            ids.add(self._ids[slug])
        return sorted(ids)

    def forget(self) -> None:
        """After a rolled-back transaction: the tags it created are gone."""
        self._ids.clear()

    @staticmethod
    def attach(scoop: Scoop, ids: list[int]) -> None:
        """Tag a scoop just created (one insert)."""
        through = Scoop.tags.through
        through.objects.bulk_create([through(scoop_id=scoop.pk, tag_id=pk) for pk in ids])

    @staticmethod
    def replace(scoop: Scoop, ids: list[int]) -> bool:
        """Give ``scoop`` exactly these tags. Returns whether they changed."""
        if set(scoop.tags.values_list("pk", flat=True)) == set(ids):
            return False
        scoop.tags.set(ids)
        return True
