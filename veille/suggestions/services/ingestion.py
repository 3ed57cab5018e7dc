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
from dataclasses import dataclass, field
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
    """Store what ``source`` found (see ``ingest_many``)."""
    return ingest_many([(source, entries)])[0]


def ingest_many(batch: list[tuple[object, list[FeedEntry]]], *, also=None) -> list[IngestResult]:
    """Store what each source of ``batch`` found: new candidates for its topic, and for every
    topic whose enabled keyword source matches an entry new to the source's topic. One result per
    pair, counting for the source's own topic. ``also(results)`` runs in the transaction that
    stores them (the poller saves its sources' rows there).

    The poller hands over the sources fetched together: the statements are per topic, not per
    source, so a batch of thirty feeds of one topic costs what one feed costs, plus the inserts.
    Everything but the writes (reading the entries, the lookups, scoring) is done before the
    transaction: on SQLite a write transaction locks the whole database, and workers ingesting
    in parallel, or a curator saving a scoop, only wait for the inserts. An item another worker
    stored meanwhile is then refused by the unique index and counted as a duplicate.
    """
    results = [IngestResult() for _ in batch]
    now = timezone.now()
    by_topic: dict[int, list[tuple[Read, object]]] = {}
    for (source, entries), result in zip(batch, results, strict=True):
        reads = _read(entries, result)
        by_topic.setdefault(source.topic_id, []).extend((read, source) for read in reads)
    by_topic = {topic_id: pairs for topic_id, pairs in by_topic.items() if pairs}
    plans = _plan(batch, by_topic, now) if by_topic else []
    counts: dict[tuple[int, int], Counts] = {}  # (topic id, source id) -> counts
    with transaction.atomic():
        for plan in plans:
            _write(plan, now)
            for source_id, found in plan.counts.items():
                counts[plan.topic.pk, source_id] = found
        for (source, _entries), result in zip(batch, results, strict=True):
            found = counts.get((source.topic_id, source.pk))
            if found is not None:
                result.new, result.duplicates = found.new, found.duplicates
                result.grouped = found.grouped
        if also is not None:
            also(results)
    return results


def _plan(batch, by_topic: dict[int, list], now) -> list[TopicPlan]:
    known_by_topic, analyzed = {}, {}
    for topic_id, pairs in by_topic.items():
        known = store.known_keys(topic_id, {read.key for read, _ in pairs})
        known_by_topic[topic_id] = known
        for read, _source in pairs:  # the costly reading, only for what the topic lacks
            if read.key not in known:
                read.item = analyzed.get(read.key) or analyzed.setdefault(
                    read.key, _analyze(read, now)
                )
    topics = _topics_of([source for source, _ in batch])
    return [
        _plan_topic(topic, pairs, now, known_by_topic.get(topic_id))
        for topic_id, (topic, pairs) in _targets(by_topic, topics).items()
    ]


@dataclass
class Counts:
    new: int = 0
    duplicates: int = 0
    grouped: int = 0


def _topics_of(sources) -> dict[int, Topic]:
    """The sources' topics: those already loaded with them, the others in one query."""
    topics, missing = {}, set()
    for source in sources:
        if type(source).topic.is_cached(source):
            topics[source.topic_id] = source.topic
        else:
            missing.add(source.topic_id)
    missing -= set(topics)
    if missing:
        topics.update(Topic.objects.in_bulk(list(missing)))
    return topics


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


def _targets(by_topic: dict[int, list], topics: dict[int, Topic]) -> dict[int, tuple[Topic, list]]:
    """topic id -> (topic, [(read, source)]): the sources' topics, then the keyword matches of
    the entries those topics did not have (those they had were matched when they first came)."""
    targets = {topic_id: (topics[topic_id], list(pairs)) for topic_id, pairs in by_topic.items()}
    analyzed = [
        (read, source) for pairs in by_topic.values() for read, source in pairs if read.item
    ]
    matches: dict[int, list] = {}
    for query_source, query in _keyword_queries() if analyzed else ():
        for read, source in analyzed:
            if query_source.pk != source.pk and keywords.matches(query, read.item.doc):
                matches.setdefault(query_source.topic_id, []).append((read, query_source))
    missing = [topic_id for topic_id in matches if topic_id not in targets]
    others = Topic.objects.in_bulk(missing) if missing else {}
    for topic_id, pairs in matches.items():
        if topic_id in targets:
            targets[topic_id][1].extend(pairs)
        elif topic_id in others:
            targets[topic_id] = (others[topic_id], pairs)
    return targets


# --- one topic ----------------------------------------------------------------------------


@dataclass
class TopicPlan:
    """What ingest will write for one topic, worked out before the write transaction."""

    topic: Topic
    counts: dict[int, Counts]  # by source id
    seen: list[tuple[str, int | None, int]]  # (url key, candidate id, source id): sightings
    rows: list[tuple[dict, object]] = field(default_factory=list)  # (candidate row, story)
    members: dict = field(default_factory=dict)  # story key -> (story, [its new rows])
    state: profiles.Freshness | None = None


def _plan_topic(topic, pairs, now, known=None) -> TopicPlan:
    """The plan for the (read, source) pairs of one topic; ``known``: the topic's known keys
    among them, when already looked up."""
    if known is None:
        known = store.known_keys(topic.pk, {read.key for read, _ in pairs})
    known = dict(known)
    plan = TopicPlan(topic=topic, counts={}, seen=[])
    fresh = []
    for read, source in pairs:
        found = plan.counts.setdefault(source.pk, Counts())
        if read.key in known:
            found.duplicates += 1
            candidate_id, source_id = known[read.key]
            if source_id != source.pk:
                plan.seen.append((read.key, candidate_id, source.pk))
            continue
        known[read.key] = (None, source.pk)
        found.new += 1
        fresh.append((read.item, source))
    if fresh:
        _score(plan, fresh, now)
    return plan


def _score(plan: TopicPlan, fresh, now) -> None:
    """Score the new items and attach each to the story it repeats or to a new one."""
    topic = plan.topic
    plan.state = profiles.freshness(topic)
    profile = profiles.cached(topic, plan.state)
    index = _neighbours(topic.pk, [item for item, _ in fresh], now)
    for item, source in sorted(fresh, key=lambda pair: pair[0].when):
        story = index.find(item.fingerprint, item.probes, source.pk) if item.probes else None
        if story is None:
            story = store.NewStory(topic.pk, 0, 0.0, -math.inf, now)
        else:
            plan.counts[source.pk].grouped += 1
        if item.fingerprint is not None:
            index.add(item.fingerprint, story, source.pk)
        row = _candidate(topic, item, source, profile, now)
        plan.rows.append((row, story))
        plan.members.setdefault(_story_key(story), (story, []))[1].append(row)


def _write(plan: TopicPlan, now) -> None:
    """Store the plan's candidates, stories and sightings (in the caller's transaction)."""
    inserted = _store(plan.rows, plan.members) if plan.rows else {}
    for row, _story in plan.rows:
        if row["url_key"] not in inserted:  # stored meanwhile by another worker
            found = plan.counts[row["source_id"]]
            found.new -= 1
            found.duplicates += 1
    sightings = [
        Sighting(candidate_id=candidate_id or inserted[key], source_id=source_id, found_at=now)
        for key, candidate_id, source_id in plan.seen
        if candidate_id or key in inserted
    ]
    if sightings:
        Sighting.objects.bulk_create(sightings, ignore_conflicts=True)
    if plan.rows:
        _schedule_rescore(plan.topic, plan.state, now)


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
