"""Words as search reads them: one tokenizer, accent folding and stemming for both backends.

Both adapters index the same word stream (``words``): PostgreSQL's own parser would cut host names,
hyphenated words and URLs differently from FTS5's unicode61, and the same query must find the same
posts on both. SQLite then gets each word folded (lower case, no accents) and stemmed here with
PyStemmer (FTS5 has no French stemmer); PostgreSQL gets the words and folds and stems them itself
(``unaccent`` then the row's text search configuration). Both use the Snowball stemmers and the
same stop words, in the same order: lower case, accents off, stop word check, stem.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

from veille.search import stopwords

SIMPLE = "simple"
# Language code -> PostgreSQL text search configuration, which is also the Snowball stemmer's name.
CONFIGS = {"fr": "french", "en": "english"}
ALL_CONFIGS = (*CONFIGS.values(), SIMPLE)
STOPWORDS = {"french": stopwords.FRENCH, "english": stopwords.ENGLISH, SIMPLE: frozenset()}

# Letters and digits; the underscore and everything else separate words, as in FTS5's unicode61.
WORD = re.compile(r"[^\W_]+")

# Letters that lose their accent in PostgreSQL's unaccent.rules without a Unicode decomposition.
_FOLD_EXTRA = str.maketrans(
    {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"}
)

_local = threading.local()


def config_for(*, scoop_language: str, topic_language: str) -> str:
    """The configuration a scoop is indexed with: its own language, else its topic's.

    A language we do not stem (German, say) gets ``simple``: accents and case folded, no stemming,
    rather than another language's stemmer cutting its words wrong.
    """
    code = (scoop_language or topic_language or "").strip().lower()[:2]
    return CONFIGS.get(code, SIMPLE)


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text or ""))


def fold(word: str) -> str:
    """Lower case without accents ("École" -> "ecole", "Œuvre" -> "oeuvre")."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def is_stopword(config: str, word: str) -> bool:
    return fold(word) in STOPWORDS[config]


def _stemmer(config: str) -> Stemmer.Stemmer:
    # PyStemmer's stemmers are not thread-safe: one per thread.
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if config not in stemmers:
        stemmers[config] = Stemmer.Stemmer(config)
    return stemmers[config]


@lru_cache(maxsize=200_000)
def key(config: str, word: str) -> str:
    """The form a word is indexed and searched under in ``config``.

    Words with digits are not stemmed: PostgreSQL's configurations send them to ``simple``.
    """
    folded = fold(word)
    if config == SIMPLE or not folded.isalpha():
        return folded
    return _stemmer(config).stemWord(folded)
