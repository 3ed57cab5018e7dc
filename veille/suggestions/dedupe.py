"""Near-duplicate detection: the fingerprint of an item, and which known item it repeats.

Measured on veille/suggestions/tests/stories.py (the same news as several outlets carry it, and
other news on the same subjects), with the features below: versions of one story are 0 to 5 bits
apart, different stories 16 or more. Short texts make noisy fingerprints: a reprint with a lightly
edited lead already differs by 5 bits, more than the threshold of 3 that Manku et al. use for web
pages. We group at 7 or less, still far from 16.

Lookups go through 4 bands of 16 bits, stored in indexed columns. Equal bands alone only guarantee
to find distances up to 3 (and find 74 % of the pairs 5 bits apart), so the first band is also
probed at its 16 one-bit variants: a pair is then missed only if that band differs by 2 bits or
more and each other band by 1 or more, so every pair within 4 bits is found, 94 % at 5, 69 % at 7
(a story's later versions also match any of its earlier ones). Each probed value costs index
seeks, and each recent candidate sharing a probed value by chance is a row to read: probing all
four bands would guarantee 7 at four times the cost of the lookup, which grows with the topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.suggestions import simhash, text

MAX_DISTANCE = 7
GUARANTEED_DISTANCE = 4  # found whatever bits differ (see the module's docstring)
PROBED_BANDS = 1  # bands probed at one bit away, from the lowest
MIN_FEATURES = 4  # "Skiller", "Video": too little text to call two items the same story
BODY_FEATURES = 15  # a summary with fewer distinct words is fingerprinted with the title


def features(*parts: list[text.Word]) -> list[tuple[str, int]]:
    """Distinct stems of the parts' content words (``text.analyze`` of ``text.raw_words``) with
    their weights: numbers and names count more, they survive rewording."""
    weights: dict[str, int] = {}
    for words in parts:
        capitals = sum(1 for w in words if w[3] == text.NAME_WEIGHT)
        title_case = capitals > 3 and capitals > 0.6 * len(words)  # "Mastodon Tops 10 Million"
        starts_sentence = True
        for _lower, stem, content, weight in words:  # unpacked: faster than attribute access
            if not weight:  # punctuation: a sentence or a clause begins
                starts_sentence = True
                continue
            if weight == text.NAME_WEIGHT and (title_case or starts_sentence):
                weight = 1  # capitalized for grammar or style, not as a name
            starts_sentence = False
            if content and weights.get(stem, 0) < weight:
                weights[stem] = weight
    return list(weights.items())


def fingerprint(title: list[text.Word], body: list[text.Word]) -> int | None:
    """The signed 64-bit SimHash of an item's summary, with its title when the summary is short;
    None when the item has too few words to be compared.

    Outlets rewrite headlines and keep the agency's lead: the title only adds noise when there is
    a lead to compare. A feed that repeats one summary on every item cannot merge them: matches
    within one source are ignored (``StoryIndex.find``).
    """
    weighted = features(body)
    if len(weighted) < BODY_FEATURES:
        weighted = features(body, title)
    if len(weighted) < MIN_FEATURES:
        return None
    return simhash.to_signed(simhash.simhash(weighted))


_FLIPS = [1 << bit for bit in range(simhash.BAND_BITS)]


def probes(value: int) -> list[set[int]]:
    """For each band, the values to look up: the band, and for the first PROBED_BANDS the 16
    values one bit away."""
    return [
        {band, *(band ^ flip for flip in _FLIPS)} if number < PROBED_BANDS else {band}
        for number, band in enumerate(simhash.bands(value))
    ]


@dataclass
class StoryIndex:
    """Fingerprints by band, to find the story an item repeats among those known."""

    by_band: list[dict[int, list[tuple[int, object, object]]]] = field(
        default_factory=lambda: [{} for _ in range(simhash.BANDS)]
    )

    def add(self, value: int, story: object, source: object = None) -> None:
        entry = (value, story, source)
        for number, band in enumerate(simhash.bands(value)):
            self.by_band[number].setdefault(band, []).append(entry)

    def find(
        self, value: int, probed: list[set[int]] | None = None, source: object = None
    ) -> object | None:
        """The story of the closest fingerprint within MAX_DISTANCE from another source than
        ``source``, or None (``probed``: the value's ``probes``, when already computed)."""
        best: tuple[int, object] | None = None
        for number, values in enumerate(probed or probes(value)):
            for band in values:
                for known, story, known_source in self.by_band[number].get(band, ()):
                    if source is not None and known_source == source:
                        continue
                    distance = simhash.distance(value, known)
                    if distance <= MAX_DISTANCE and (best is None or distance < best[0]):
                        best = (distance, story)
        return best[1] if best else None
