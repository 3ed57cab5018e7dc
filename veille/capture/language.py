"""A page's language as a two-letter code: what the page declares, else what its text looks like.

Detection uses py3langid restricted to the languages the instance cares about: a restricted model is
far less likely to answer an exotic language for a short French or English text. A declaration is
overruled only by a long text that is clearly in another language: themes ship ``lang="en-US"``
whatever their owner writes in.
"""

import copy
import functools
import re
from collections.abc import Sequence

from py3langid.langid import MODEL_FILE, LanguageIdentifier

DEFAULT_LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl", "ca", "oc")
LANGUAGE_TAG = re.compile(r"^\s*([a-zA-Z]{2})(?:$|[-_\s])")
MIN_DETECTION_CHARS = 40
DETECTION_SAMPLE_CHARS = 2000
OVERRULE_MIN_CHARS = 500
OVERRULE_MIN_PROBABILITY = 0.99


def normalize_language(tag: str | None) -> str | None:
    """``fr-FR``, ``fr_FR``, ``FR`` -> ``fr``; a list such as ``fr, en`` gives its first entry."""
    if not tag:
        return None
    match = LANGUAGE_TAG.match(tag.split(",", 1)[0])
    return match.group(1).lower() if match else None


def page_language(
    declared: str | None, text: str, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> str | None:
    """The declared language unless a long text is certainly in another one; else the text's."""
    if declared and len(text) < OVERRULE_MIN_CHARS:
        return declared
    detected, probability = _classify(text, languages)
    if declared and (not detected or probability < OVERRULE_MIN_PROBABILITY):
        return declared
    return detected


def detect_language(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str | None:
    """The most likely of ``languages`` for ``text``; None when there is too little text to tell."""
    return _classify(text, languages)[0]


def _classify(text: str, languages: Sequence[str]) -> tuple[str | None, float]:
    sample = " ".join(text.split())[:DETECTION_SAMPLE_CHARS]
    identifier = _identifier(tuple(sorted(set(languages))))
    if len(sample) < MIN_DETECTION_CHARS or identifier is None:
        return None, 0.0
    language, probability = identifier.classify(sample)
    return language, probability


@functools.cache
def _full_model() -> LanguageIdentifier:
    # Loading takes about a second: once per process.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=16)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier | None:
    """A restricted copy per language set: ``set_languages`` mutates, so the full model is shared
    read-only and each copy is only read once built (safe across threads)."""
    model = _full_model()
    known = [code for code in languages if code in set(model.labels)]
    if not known:
        return None
    restricted = copy.copy(model)
    restricted.set_languages(known)
    return restricted
