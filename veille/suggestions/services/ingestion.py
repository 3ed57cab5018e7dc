"""Entries found by a source become candidates: canonical URL, de-duplication, story, score.

Built for throughput (thousands of items a second). Each entry's URL is normalized first; only
the entries the source's topic does not have yet are read further (words, stems, fingerprint),
once for every topic they go to. Then, per topic, a fixed number of statements whatever the batch
size: the URLs already known (candidates and scoops, one query), the model's freshness, the recent
fingerprints sharing a band, one insert of stories, one of candidates, one update of the new
stories' first candidates (services/store.py). Scores are computed in memory with the topic's
cached profile (profiles.py).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from veille.core.urlnorm import normalize_url
from veille.sources.entries import FeedEntry, IngestResult
from veille.suggestions import dedupe, keywords, profiles, ranking, simhash, text
from veille.suggestions.models import Sighting, State, Story
from veille.suggestions.services import store
from veille.suggestions.services.stories import refresh_stories
from veille.topics.models import Topic

NEAR_DUPLICATE_DAYS = 14  # how far back a new item looks for the story it repeats
MAX_SUMMARY_CHARS = 20_000
MAX_TEXT_CHARS = 5_000
PROBE_CHUNK = 100  # items per fingerprint query, to stay far under SQLite's variable limit
TAG = re.compile(r"<[^>]*>")


@dataclass
class Item:
    """One entry, read once for every topic it goes to."""

    url: str
    key: str
    title: str
    summary_html: str
    image: str
    published_at: datetime | None
    author: str
    language: str
    words: str
    features: ranking.Features
    doc: keywords.Doc
    fingerprint: int | None
    probes: list[set[int]]
    when: datetime


def ingest(*, source, entries: list[FeedEntry]) -> IngestResult:
    """Store what ``source`` found: new candidates for its topic, and for every topic whose
    enabled keyword source matches an entry new to the source's topic. Counts are for the
    source's own topic."""
    result = IngestResult()
    now = timezone.now()
    reads = _read(entries, result)
    if not reads:
        return result
    with transaction.atomic():
        known = store.known_keys(source.topic_id, {r.key for r in reads})
        analyzed: dict[str, Item] = {}
        for read in reads:  # the costly reading, only for what the topic does not have
            if read.key not in known:
                read.item = analyzed.get(read.key) or analyzed.setdefault(
                    read.key, _analyze(read, now)
                )
        for topic_id, (topic, pairs) in _targets(source, reads).items():
            own = topic_id == source.topic_id
            counts = _ingest_topic(topic, pairs, now, known if own else None)
            if own:
                result.new, result.duplicates, result.grouped = counts
    return result


# --- reading entries ----------------------------------------------------------------------


@dataclass
class Read:
    """An entry's canonical URL and its key: enough to know whether it is new."""

    entry: FeedEntry
    url: str
    key: str
    title: str
    item: Item | None = None


def _read(entries: list[FeedEntry], result: IngestResult) -> list[Read]:
    reads = []
    for entry in entries:
        title = " ".join((entry.title or "").split())[:300]
        try:
            url = normalize_url(entry.url or "")
        except ValueError:
            url = ""
        if not title or not url or len(url) > 2000:
            result.skipped += 1
            continue
        reads.append(Read(entry, url, hashlib.sha256(url.encode()).hexdigest(), title))
    return reads


def _analyze(read: Read, now: datetime) -> Item:
    entry = read.entry
    # Sanitized by the sources app (the FeedEntry contract); pages only ever show its text,
    # escaped (the plain_text filter), so nothing here is trusted as markup.
    summary = (entry.summary_html or "")[:MAX_SUMMARY_CHARS]
    body = " ".join(html.unescape(TAG.sub(" ", summary)).split())[:MAX_TEXT_CHARS]
    title_words = text.analyze(text.raw_words(read.title))
    body_words = text.analyze(text.raw_words(body)[: ranking.MAX_BODY_WORDS])
    published = _date(entry.published, now)
    fingerprint = dedupe.fingerprint(title_words, body_words)
    return Item(
        url=read.url,
        key=read.key,
        title=read.title,
        summary_html=summary,
        image=_image(entry.image),
        published_at=published,
        author=(entry.author or "")[:200],
        language=(entry.language or "")[:10],
        words=ranking.stored_words(title_words, body_words),
        features=ranking.features_of(title_words, body_words),
        doc=keywords.Doc.from_words(title_words, body_words),
        fingerprint=fingerprint,
        probes=dedupe.probes(fingerprint) if fingerprint is not None else [],
        when=published or now,
    )


def _date(value: datetime | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return min(value, now)  # a date in the future would keep an item on top for days


def _image(url: str) -> str:
    url = (url or "").strip()
    return url if url.startswith(("https://", "http://")) and len(url) <= 2000 else ""


@dataclass(frozen=True)
class QuerySource:
    """A keyword source as ingestion needs it."""

    pk: int
    topic_id: int
    query: str
    weight: float
    kind: str = "keyword"


_compiled: dict[str, keywords.Node | None] = {}


def _keyword_queries() -> list[tuple[QuerySource, keywords.Node]]:
    """Every enabled keyword source with its parsed query (each query parsed once a process)."""
    found = []
    for row in store.keyword_sources():
        source = QuerySource(*row)
        if source.query not in _compiled:
            try:
                _compiled[source.query] = keywords.parse(source.query)
            except keywords.QueryError:
                _compiled[source.query] = None  # refused when saved; an old row matches nothing
        if _compiled[source.query] is not None:
            found.append((source, _compiled[source.query]))
    return found


def _targets(source, reads: list[Read]) -> dict[int, tuple[Topic, list]]:
    """topic id -> (topic, [(read, source)]): the source's topic, then the keyword matches of the
    entries that topic did not have (those it had were matched when they first came)."""
    targets = {source.topic_id: (source.topic, [(read, source) for read in reads])}
    analyzed = [read for read in reads if read.item is not None]
    matches: dict[int, list] = {}
    for query_source, query in _keyword_queries() if analyzed else ():
        for read in analyzed:
            if query_source.pk != source.pk and keywords.matches(query, read.item.doc):
                matches.setdefault(query_source.topic_id, []).append((read, query_source))
    if matches:
        topics = Topic.objects.in_bulk(list(matches))
        for topic_id, pairs in matches.items():
            if topic_id in targets:
                targets[topic_id][1].extend(pairs)
            elif topic_id in topics:
                targets[topic_id] = (topics[topic_id], pairs)
    return targets


# --- one topic ----------------------------------------------------------------------------


def _ingest_topic(topic, pairs, now, known=None) -> tuple[int, int, int]:
    """(new, duplicates, grouped) for the (read, source) pairs of one topic; ``known``: the
    topic's known keys among them, when already looked up."""
    if known is None:
        known = store.known_keys(topic.pk, {read.key for read, _ in pairs})
    known = dict(known)
    fresh, seen, duplicates = [], [], 0
    for read, source in pairs:
        if read.key in known:
            duplicates += 1
            candidate_id, source_id = known[read.key]
            if source_id != source.pk:
                seen.append((read.key, candidate_id, source.pk))
            continue
        known[read.key] = (None, source.pk)
        fresh.append((read.item, source))
    grouped, inserted = _insert(topic, fresh, now) if fresh else (0, {})
    sightings = [
        Sighting(candidate_id=candidate_id or inserted[key], source_id=source_id, found_at=now)
        for key, candidate_id, source_id in seen
        if candidate_id or key in inserted
    ]
    if sightings:
        Sighting.objects.bulk_create(sightings, ignore_conflicts=True)
    return len(fresh), duplicates, grouped


def _insert(topic, fresh, now) -> tuple[int, dict[str, int]]:
    """Score the new items, attach each to the story it repeats or to a new one, store them:
    (items that joined a story, url_key -> id of the candidates inserted)."""
    state = profiles.freshness(topic)
    profile = profiles.cached(topic, state)
    index = _neighbours(topic.pk, [item for item, _ in fresh], now)
    rows, members, grouped = [], {}, 0
    for item, source in sorted(fresh, key=lambda pair: pair[0].when):
        story = index.find(item.fingerprint, item.probes, source.pk) if item.probes else None
        if story is None:
            story = store.NewStory(topic.pk, 0, 0.0, -math.inf, now)
        else:
            grouped += 1
        if item.fingerprint is not None:
            index.add(item.fingerprint, story, source.pk)
        row = _candidate(topic, item, source, profile, now)
        rows.append((row, story))
        members.setdefault(_story_key(story), (story, []))[1].append(row)
    inserted = _store(rows, members)
    _schedule_rescore(topic, state, now)
    return grouped, inserted


def _story_key(story) -> tuple:
    # A story is an id (known) or a NewStory (this batch).
    return ("known", story) if isinstance(story, int) else ("new", id(story))


def _store(rows, members) -> dict[str, int]:
    """Insert new stories, then candidates; set each new story's first candidate."""
    new = [story for story, _ in members.values() if isinstance(story, store.NewStory)]
    for story in new:
        story_rows = members[_story_key(story)][1]
        story.candidate_count = len(story_rows)
        story.best_score = max(r["score"] for r in story_rows)
        story.rank = max(r["rank"] for r in story_rows)
    store.insert_stories(new)
    for row, story in rows:
        row["story_id"] = story.pk if isinstance(story, store.NewStory) else story
    inserted = store.insert_candidates([row for row, _ in rows])
    firsts, stale = {}, set()
    for story, story_rows in members.values():
        kept = [r for r in story_rows if r["url_key"] in inserted]
        if isinstance(story, store.NewStory) and len(kept) == len(story_rows):
            firsts[story.pk] = inserted[kept[0]["url_key"]]  # rows are in date order
        else:
            stale.add(story.pk if isinstance(story, store.NewStory) else story)
    store.set_first(firsts)
    if stale:  # joined an older story, or lost a row to a concurrent ingest
        refresh_stories(stale, now=rows[0][0]["found_at"])
        Story.objects.filter(pk__in=stale, candidate_count=0).delete()
    return inserted


def _candidate(topic, item: Item, source, profile, now) -> dict:
    scored = profile.score(item.features, item.doc, source)
    if source.kind == "keyword":
        scored.reasons.insert(0, {"kind": "query", "query": source.query})
    fingerprint = item.fingerprint
    bands = simhash.bands(fingerprint) if fingerprint is not None else (-1, -1, -1, -1)
    return {
        "topic_id": topic.pk,
        "source_id": source.pk,
        "story_id": None,
        "url": item.url,
        "url_key": item.key,
        "title": item.title,
        "summary_html": item.summary_html,
        "image": item.image,
        "published_at": item.published_at,
        "author": item.author,
        "language": item.language,
        "found_at": now,
        "words": item.words,
        "fingerprint": fingerprint or 0,
        "band0": bands[0],
        "band1": bands[1],
        "band2": bands[2],
        "band3": bands[3],
        "score": scored.score,
        "rank": ranking.rank(scored.score, item.when),
        "reasons": scored.reasons,
        "state": State.NEW.value,
    }


def _neighbours(topic_id: int, items: list[Item], now) -> dedupe.StoryIndex:
    """Recent candidates of the topic sharing a band (or a band one bit away) with a new item."""
    index = dedupe.StoryIndex()
    probed = [item.probes for item in items if item.probes]
    since = now - timedelta(days=NEAR_DUPLICATE_DAYS)
    for start in range(0, len(probed), PROBE_CHUNK):
        wanted: list[set[int]] = [set(), set(), set(), set()]
        for probes in probed[start : start + PROBE_CHUNK]:
            for number, probe in enumerate(probes):
                wanted[number] |= probe
        for fingerprint, story_id, source_id in store.neighbours(topic_id, wanted, since):
            index.add(fingerprint, story_id, source_id)
    return index


def _schedule_rescore(topic, state: profiles.Freshness, now) -> None:
    from veille.suggestions.services.rescore import RESCORE_EVERY, schedule_rescore

    stale = state.rescored_at is None or now - state.rescored_at > RESCORE_EVERY
    if stale or state.missing_scoops:
        schedule_rescore(topic_id=topic.pk)
