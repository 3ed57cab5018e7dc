"""Words as suggestions compare them: case- and accent-insensitive, stemmed for French and English.

Keyword queries, ranking and near-duplicate fingerprints all read text through ``words`` and
``stem`` so that "Réseaux sociaux", "reseau social" and "RÉSEAU SOCIAL" are the same two terms.
Each word is stemmed by the French then the English Snowball stemmer (PyStemmer): an item's
language is often unknown, and chaining both makes "politique"/"politics" or "sociaux"/"social"
meet, at the price of a few over-stemmed pairs ("news"/"new"). Both sides of every comparison go
through the same function, so the matching stays consistent whatever the language.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import NamedTuple

import Stemmer

# Words, and the punctuation that ends a sentence or a clause: a phrase never runs across it, and
# fingerprints know that the word after it is capitalized for grammar, not as a name.
WORD = re.compile(r"\w+|[.!?:;]")
PUNCTUATION = frozenset(".!?:;")
# "1 200", "1,200" and "1200" are one number.
THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f,.](?=\d{3}\b)")
GROUPED_DIGITS = re.compile(r"\d[\s\u00a0\u202f,.]\d")  # a cheap test before THOUSANDS
# Combining marks (accents) left by NFKD decomposition: Latin, extended and symbol blocks.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
MAX_CACHED = 200_000

# Words too common to say anything about a topic (folded: no accents). Kept in the positional
# stream for phrase queries, left out of ranking features and fingerprints.
# fmt: off
STOPWORDS = frozenset("""
a ai aie ainsi alors au aucun aussi autre aux avait avant avec avoir c ca car ce ceci cela celle
celles celui ces cet cette ceux chaque chez comme comment d dans de des deja depuis donc dont du
elle elles en encore entre est et etait ete etre eu fait faire il ils j je jusqu l la le les leur
leurs lui m ma mais me meme mes moi moins mon n ne ni nos notre nous on ont ou par parce pas peu
peut plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses si
sien son sont sous sur t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers
voici voila vos votre vous y

about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would
you your yours
""".split())
# fmt: on

NUMBER_WEIGHT = 3  # fingerprints: "27", "2028", "400" survive every rewrite of a story
NAME_WEIGHT = 2  # fingerprints: capitalized words (people, places, companies)


class Word(NamedTuple):
    """One word as every part of suggestions reads it."""

    lower: str  # lower-cased, accents kept: what a card shows
    stem: str  # folded and stemmed: what is compared
    content: bool  # False for stopwords and single letters
    weight: int  # for fingerprints: NUMBER_WEIGHT, NAME_WEIGHT, 1, or 0 for punctuation


_local = threading.local()
_known: dict[str, Word] = {}


def _stemmers():
    # PyStemmer objects keep internal state: one pair per thread.
    pair = getattr(_local, "pair", None)
    if pair is None:
        pair = _local.pair = (Stemmer.Stemmer("french"), Stemmer.Stemmer("english"))
    return pair


def fold(text: str) -> str:
    """Lower-case, accents removed (NFKD, combining marks dropped)."""
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def raw_words(text: str) -> list[str]:
    """The words of ``text`` in order, as written (NFC, digit groups joined)."""
    text = unicodedata.normalize("NFC", text)
    return WORD.findall(THOUSANDS.sub("", text) if GROUPED_DIGITS.search(text) else text)


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower-cased, accents kept (what a card can show)."""
    return [w.casefold() for w in raw_words(text)]


def _learn(raw: str) -> Word:
    if raw in PUNCTUATION:
        return Word(raw, raw, False, 0)
    french, english = _stemmers()
    lower = raw.casefold()
    folded = fold(lower)
    stem = english.stemWord(french.stemWord(folded)) or folded
    weight = NUMBER_WEIGHT if raw.isdigit() else NAME_WEIGHT if raw[0].isupper() else 1
    known = Word(lower, stem, len(folded) > 1 and folded not in STOPWORDS, weight)
    if len(_known) >= MAX_CACHED:
        _known.clear()  # a crude bound: the cache refills with the words that come back
    _known[raw] = known
    return known


def analyze(raw: list[str]) -> list[Word]:
    """``Word`` of each word (from ``raw_words`` or ``words``), cached per spelling."""
    get = _known.get
    return [get(w) or _learn(w) for w in raw]


def stem(word: str) -> str:
    """The comparison key of a word: folded, then stemmed FR then EN."""
    return (_known.get(word) or _learn(word)).stem


def is_stopword(word: str) -> bool:
    return not (_known.get(word) or _learn(word)).content


def content_words(text: str) -> list[str]:
    """``words`` without stopwords: what ranking and fingerprints look at."""
    return [w for w in words(text) if not is_stopword(w)]
