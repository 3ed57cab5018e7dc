"""Ranking: how well a candidate suits its topic, and the reasons its card gives.

Pure (no database): ``Profile`` is built from a topic and its ``TopicModel`` row, and scores items.
Four signals, each explained on the card (docs/suggestions.md):

- keywords: the topic's keywords (phrases) and the words of its title and subtitle;
- similarity to what the curator scooped: cosine between TF-IDF vectors of stemmed terms, against
  each of the topic's recent scoops (kept in the row as compact term counts);
- what the curator kept and dismissed: an online logistic regression over the same term vector
  plus one feature per source, updated by every decision (``learn``);
- the source's weight, set by the curator, as a factor.

Freshness is not in the score: ``rank`` folds a half-life of two days into a sort key that stays
valid as time passes (log(score) + decay x publication time), so stored ranks never need aging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from veille.suggestions import keywords, text

HALF_LIFE_HOURS = 48.0
DECAY = math.log(2) / (HALF_LIFE_HOURS * 3600)  # per second
TITLE_REPEAT = 2  # a word of the title counts as much as two of the summary
MAX_BODY_WORDS = 400
MAX_SCOOP_TERMS = 60  # per scoop in the model row
SCOOP_POSTINGS = 25  # per scoop in the in-memory index: its most weighted terms
SIMILAR_GATE = 0.05  # cosine to the scoops' centroid under which no scoop is looked at
MAX_WEIGHTS = 5000  # learned weights kept, largest first

KEYWORD_WEIGHT = 1.0  # a topic keyword found in the item
TOPIC_WORD_WEIGHT = 0.3  # a word of the topic's title or subtitle found in the item
SIMILAR_MIN = 0.2  # cosine from which an item is "close" to a scoop
SIMILAR_FULL = 0.5  # mean cosine to the 3 closest scoops that counts as fully similar
BASE, W_KEYWORD, W_SIMILAR, W_LEARNED = 0.05, 0.35, 1.0, 0.6
MIN_RELEVANCE = 1e-4
SOURCE_FEATURE = 0.5  # value of the "this source" feature in the learned model
SOURCE_REASON = 0.3  # learned source weight from which the card mentions it
LEARNED_REASON = 0.15  # learned contribution from which the card names terms
LEARNING_RATE = 1.0
BULK_LEARNING_RATE = 0.1  # bulk dismissals say "not now" as much as "not this"
BIAS_RATE = 0.1


@dataclass
class Features:
    """An item's terms: stem -> count (title words count double), and each stem as written."""

    counts: dict[str, float] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)


def stored_words(title: list[text.Word], body: list[text.Word]) -> str:
    """The words kept on a candidate for later rescoring: "title words | body words"."""
    return " | ".join((" ".join([w[0] for w in title]), " ".join([w[0] for w in body])))


def split_words(stored: str) -> tuple[list[text.Word], list[text.Word]]:
    title, _bar, body = stored.partition(" | ")
    return text.analyze(title.split()), text.analyze(body.split())


def features(stored: str) -> Features:
    return features_of(*split_words(stored))


def features_of(title: list[text.Word], body: list[text.Word]) -> Features:
    """Features of the words (``text.analyze``) of an item's title and body."""
    result = Features()
    counts, shown = result.counts, result.shown
    for words, weight in ((title, TITLE_REPEAT), (body, 1)):
        for lower, key, content, _weight in words:  # unpacked: faster than attribute access
            if content:
                counts[key] = counts.get(key, 0.0) + weight
                if key not in shown:
                    shown[key] = lower
    return result


def rank(score: float, when: datetime) -> float:
    """Sort key: higher first; equals log(score x 0.5^(age / half-life)) + a constant."""
    return math.log(max(score, MIN_RELEVANCE)) + DECAY * when.timestamp()


def score_at(rank_value: float, now: datetime) -> float:
    """The freshness-weighted score a rank stands for at ``now``."""
    return math.exp(rank_value - DECAY * now.timestamp())


def source_key(source_id: int) -> str:
    return f"src:{source_id}"


@dataclass
class Scored:
    score: float
    reasons: list[dict]


class Profile:
    """What ranking knows about one topic at one moment."""

    def __init__(self, *, topic, scoops=None, stats=None, weights=None, bias=0.0):
        self.keywords = [t for t in map(keywords.term, topic.keyword_list) if t is not None]
        covered = {t.stems for t in self.keywords}
        self.topic_words: dict[str, str] = {}
        raw = text.raw_words(f"{topic.title} {topic.subtitle}")
        for written, word in zip(raw, text.analyze(raw), strict=True):
            if word.content and (word.stem,) not in covered:
                self.topic_words.setdefault(word.stem, written)
        stats = stats or {}
        self.documents = int(stats.get("n", 0))
        self.df: dict[str, int] = stats.get("df", {})
        self._idf: dict[str, float] = {}
        self.weights: dict[str, float] = weights or {}
        self.bias = bias
        self.postings: dict[str, list[tuple[str, float]]] = {}
        centroid: dict[str, float] = {}
        for scoop_id, counts in (scoops or {}).items():
            vector = self.vector(counts)
            top = sorted(vector.items(), key=lambda item: item[1], reverse=True)[:SCOOP_POSTINGS]
            for key, value in top:
                self.postings.setdefault(key, []).append((scoop_id, value))
                centroid[key] = centroid.get(key, 0.0) + value
        norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        self.centroid = {k: v / norm for k, v in centroid.items()}

    def idf(self, key: str) -> float:
        value = self._idf.get(key)
        if value is None:
            value = math.log((1 + self.documents) / (1 + self.df.get(key, 0))) + 1.0
            self._idf[key] = value
        return value

    def vector(self, counts: dict[str, float]) -> dict[str, float]:
        """Sublinear TF x IDF, L2-normalized."""
        idf, log = self._idf, math.log
        raw, total = {}, 0.0
        for key, count in counts.items():
            weight = idf.get(key) or self.idf(key)
            value = raw[key] = (1.0 + log(count)) * weight
            total += value * value
        scale = 1.0 / (math.sqrt(total) or 1.0)
        return {key: value * scale for key, value in raw.items()}

    def similarities(self, vector: dict[str, float]) -> list[float]:
        """Cosines to the profile's scoops (on their main terms), highest first, zeros left out;
        none at all for an item far from all of them (most of what feeds bring)."""
        centroid = self.centroid
        if sum(v * centroid.get(k, 0.0) for k, v in vector.items()) < SIMILAR_GATE:
            return []
        dots: dict[str, float] = {}
        for key, value in vector.items():
            for scoop_id, weight in self.postings.get(key, ()):
                dots[scoop_id] = dots.get(scoop_id, 0.0) + value * weight
        return sorted(dots.values(), reverse=True)

    def learning_vector(self, feats: Features, source_id: int | None) -> dict[str, float]:
        vector = self.vector(feats.counts)
        if source_id is not None:
            vector[source_key(source_id)] = SOURCE_FEATURE
        return vector

    def score(self, feats: Features, doc: keywords.Doc, source) -> Scored:
        reasons: list[dict] = []
        keyword = self._keywords(doc, reasons)
        vector = self.learning_vector(feats, source.pk)
        closeness = self._similarity(vector, reasons)
        learned = self._learned(vector, feats, source.pk, reasons)
        relevance = BASE + W_KEYWORD * keyword + W_SIMILAR * closeness + W_LEARNED * learned
        weight = source.weight if source.weight is not None else 1.0
        if weight > 1.0:
            reasons.append({"kind": "source_boosted"})
        return Scored(max(MIN_RELEVANCE, max(MIN_RELEVANCE, relevance) * weight), reasons)

    def _keywords(self, doc: keywords.Doc, reasons: list[dict]) -> float:
        total, shown = 0.0, []
        for term in self.keywords:
            if doc.has(term.stems):
                total += KEYWORD_WEIGHT
                shown.append(term.text)
        terms = doc.terms
        for key, word in self.topic_words.items():
            if key in terms:
                total += TOPIC_WORD_WEIGHT
                shown.append(word)
        reasons.extend({"kind": "keyword", "term": term} for term in shown[:3])
        return 1.0 - math.exp(-total)

    def _similarity(self, vector: dict[str, float], reasons: list[dict]) -> float:
        cosines = self.similarities(vector)
        close = sum(1 for c in cosines if c >= SIMILAR_MIN)
        if close:
            reasons.append({"kind": "similar", "count": close})
        return min(1.0, sum(cosines[:3]) / 3 / SIMILAR_FULL)

    def _learned(self, vector, feats: Features, source_id, reasons: list[dict]) -> float:
        if not self.weights:
            return 0.0
        weights = self.weights
        contributions = {k: weights[k] * v for k, v in vector.items() if k in weights}
        learned = math.tanh(sum(contributions.values()))
        source_weight = weights.get(source_key(source_id), 0.0)
        if source_weight >= SOURCE_REASON:
            reasons.append({"kind": "source_kept"})
        elif source_weight <= -SOURCE_REASON:
            reasons.append({"kind": "source_dismissed"})
        if abs(learned) >= LEARNED_REASON:
            sign = 1.0 if learned > 0 else -1.0
            terms = sorted(
                (k for k, c in contributions.items() if c * sign > 0 and k in feats.shown),
                key=lambda k: contributions[k] * sign,
                reverse=True,
            )
            kind = "kept" if learned > 0 else "dismissed"
            reasons.append({"kind": kind, "terms": [feats.shown[k] for k in terms[:3]]})
        return learned


def learn(profile: Profile, vector: dict[str, float], *, kept: bool, rate: float):
    """One step of logistic regression on a decision: (weight deltas, bias delta).

    Kept items pull the weights of their terms (and source) up, dismissed ones push them down;
    the step shrinks when the model already predicted the decision.
    """
    margin = profile.bias + sum(profile.weights.get(k, 0.0) * v for k, v in vector.items())
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))
    step = rate * ((1.0 if kept else 0.0) - probability)
    return {k: step * v for k, v in vector.items()}, step * BIAS_RATE


def apply_deltas(weights: dict[str, float], deltas: dict[str, float], sign: float = 1.0) -> None:
    """Add (or, with sign -1, take back) deltas; keep the MAX_WEIGHTS largest weights."""
    for key, delta in deltas.items():
        value = weights.get(key, 0.0) + sign * delta
        if abs(value) < 1e-6:
            weights.pop(key, None)
        else:
            weights[key] = value
    if len(weights) > MAX_WEIGHTS:
        kept = sorted(weights.items(), key=lambda item: abs(item[1]), reverse=True)[:MAX_WEIGHTS]
        weights.clear()
        weights.update(kept)


def merge_deltas(total: dict[str, float], deltas: dict[str, float]) -> None:
    for key, delta in deltas.items():
        total[key] = total.get(key, 0.0) + delta


def scoop_counts(title: str, body: str) -> dict[str, float]:
    """A scoop's term counts for the profile: its MAX_SCOOP_TERMS most frequent terms."""
    words = text.analyze(text.raw_words(body))[:MAX_BODY_WORDS]
    counts = features_of(text.analyze(text.raw_words(title)), words).counts
    top = sorted(counts.items(), key=lambda item: item[1], reverse=True)[:MAX_SCOOP_TERMS]
    return dict(top)
