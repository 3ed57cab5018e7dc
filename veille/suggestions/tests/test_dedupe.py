"""SimHash fingerprints and the banded lookup that finds near duplicates."""

import itertools

import pytest

from veille.suggestions import dedupe, simhash, text
from veille.suggestions.tests.stories import OTHER_STORIES, REWRITTEN, SAME_STORY


def fingerprint(title, summary):
    return dedupe.fingerprint(
        text.analyze(text.raw_words(title)), text.analyze(text.raw_words(summary))
    )


def test_simhash_is_the_weighted_majority_of_feature_bits():
    one = simhash.simhash([("alpha", 1)])
    assert simhash.simhash([("alpha", 3), ("beta", 1)]) == one  # alpha outweighs beta everywhere
    assert simhash.simhash([("alpha", 1), ("alpha", 1)]) == one
    assert simhash.simhash([]) == 0


def test_signed_fingerprints_keep_their_bands_and_distances():
    value = (1 << 63) | 0xABCD
    signed = simhash.to_signed(value)
    assert signed < 0 and -(2**63) <= signed < 2**63
    assert simhash.bands(signed) == simhash.bands(value) == (0xABCD, 0, 0, 0x8000)
    assert simhash.distance(signed, value) == 0
    assert simhash.distance(signed, simhash.to_signed(value ^ 0b1011)) == 3


def _flip(value, bits):
    for bit in bits:
        value ^= 1 << bit
    return value


def test_index_finds_any_fingerprint_four_bits_away():
    known = 0x0123_4567_89AB_CDEF
    index = dedupe.StoryIndex()
    index.add(known, "story")
    near = _flip(known, [0, 16, 32, 48])  # every band changed, by one bit
    assert all(a != b for a, b in zip(simhash.bands(near), simhash.bands(known), strict=True))
    assert index.find(near) == "story"
    assert dedupe.GUARANTEED_DISTANCE == 4


def test_index_finds_farther_fingerprints_when_the_probed_band_is_close():
    known = 0x0123_4567_89AB_CDEF
    index = dedupe.StoryIndex()
    index.add(known, "story")
    assert index.find(_flip(known, [0, 16, 17, 32, 33, 48, 49])) == "story"  # 7 bits
    # The price of probing one band only: 5 bits spread 2-1-1-1 are not looked at.
    assert index.find(_flip(known, [0, 1, 16, 32, 48])) is None
    assert index.find(_flip(known, [0, 1, 16, 17, 32, 48, 49, 50])) is None  # 8 bits: too far


def test_index_prefers_the_closest_story():
    index = dedupe.StoryIndex()
    base = 0xFFFF_0000_FFFF_0000
    index.add(_flip(base, [1, 2, 3]), "farther")
    index.add(_flip(base, [5]), "closer")
    assert index.find(base) == "closer"


def _groups(threshold):
    """Connected groups of all written items, at a Hamming distance threshold."""
    items = [(name, v) for name, versions in SAME_STORY.items() for v in versions]
    items += [(f"other-{n}", v) for n, v in enumerate(OTHER_STORIES)]
    prints = [fingerprint(title, summary) for _name, (_outlet, title, summary) in items]
    parent = list(range(len(items)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in itertools.combinations(range(len(items)), 2):
        if simhash.distance(prints[a], prints[b]) <= threshold:
            parent[root(a)] = root(b)
    groups = {}
    for i, (name, _version) in enumerate(items):
        groups.setdefault(root(i), set()).add(name)
    return list(groups.values())


def test_versions_of_a_story_from_several_outlets_fall_within_the_threshold():
    groups = _groups(dedupe.MAX_DISTANCE)
    for name in SAME_STORY:
        assert [g for g in groups if name in g] == [{name}], f"{name} split or merged: {groups}"


def test_different_stories_on_the_same_subjects_stay_apart():
    groups = _groups(dedupe.MAX_DISTANCE)
    assert all(len(group) == 1 for group in groups)
    assert len(groups) == len(SAME_STORY) + len(OTHER_STORIES)


def test_the_usual_threshold_of_three_would_split_lightly_edited_reprints():
    # Why the threshold is 7 (docs/suggestions.md): short texts make noisy fingerprints.
    assert len(_groups(3)) > len(_groups(dedupe.MAX_DISTANCE))


def test_a_rewritten_lead_is_a_story_of_its_own():
    rewritten = fingerprint(*REWRITTEN[0][1:])
    for _outlet, title, summary in SAME_STORY["metro"]:
        assert simhash.distance(rewritten, fingerprint(title, summary)) > dedupe.MAX_DISTANCE


def test_a_short_summary_is_fingerprinted_with_its_title():
    title = "Mastodon passes 10 million accounts as users leave X"
    assert fingerprint(title, "Read more.") != fingerprint(
        "Something else entirely today", "Read more."
    )


def test_a_long_summary_alone_makes_the_fingerprint():
    lead = SAME_STORY["mastodon"][0][2]
    assert fingerprint("Mastodon tops 10 million", lead) == fingerprint("Another headline", lead)


@pytest.mark.parametrize("title", ["Skiller", "Vidéo", "Le point"])
def test_items_with_too_few_words_get_no_fingerprint(title):
    assert fingerprint(title, "") is None
