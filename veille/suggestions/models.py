"""Candidates found by sources, grouped into stories, and each topic's ranking model.

Models stay lean: ingestion lives in services/ingest.py, decisions in services/triage.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veille.topics.models import Scoop, Topic


class State(models.TextChoices):
    NEW = "new", _("new")
    SCOOPED = "scooped", _("scooped")
    DISMISSED = "dismissed", _("dismissed")


class Story(models.Model):
    """Near-duplicate candidates of a topic: one card in the inbox, whatever the outlets."""

    # Indexed by the composite indexes below, which start with it (fewer indexes, faster inserts).
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="suggestion_stories", db_index=False
    )
    # The earliest published (or found) candidate: what the card shows, and "first".
    first = models.ForeignKey(
        "Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate_count = models.PositiveIntegerField(default=0)
    best_score = models.FloatField(default=0.0)
    rank = models.FloatField(default=0.0)  # the best candidate's sort key (ranking.rank)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Both indexed only where set (see Meta): a new story has neither.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    scoop = models.ForeignKey(
        Scoop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["topic", "state", "-rank"], name="story_inbox"),
            models.Index(fields=["topic", "state", "decided_at"], name="story_decided"),
            models.Index(
                fields=["decided_by"],
                condition=models.Q(decided_by__isnull=False),
                name="story_decided_by",
            ),
            models.Index(
                fields=["scoop"], condition=models.Q(scoop__isnull=False), name="story_scoop"
            ),
        ]

    def __str__(self) -> str:
        return f"story {self.pk} of {self.topic_id} ({self.candidate_count})"


class Candidate(models.Model):
    """One item found by a source for a topic: unique per canonical URL in the topic."""

    # No index of its own: the composite indexes below all start with the topic, and every index
    # costs each insert (ingest writes thousands of rows a second).
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="suggestion_candidates", db_index=False
    )
    # Kept when its source is removed: the inbox still shows what it found.
    source = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="candidates")
    url = models.URLField(max_length=2000)  # normalize_url
    url_key = models.CharField(max_length=64)  # sha256 of url, as Scoop.source_key
    title = models.CharField(max_length=300)
    summary_html = models.TextField(blank=True)  # sanitized
    image = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    found_at = models.DateTimeField(default=timezone.now)
    # Content words, "title | summary", read again when the topic's model changes (rescoring).
    words = models.TextField(blank=True)
    # SimHash of title and summary (signed 64 bits) and its four 16-bit bands, -1 when the item
    # is too short to compare (dedupe.py).
    fingerprint = models.BigIntegerField(default=0)
    band0 = models.IntegerField(default=-1)
    band1 = models.IntegerField(default=-1)
    band2 = models.IntegerField(default=-1)
    band3 = models.IntegerField(default=-1)
    score = models.FloatField(default=0.0)  # relevance, without freshness
    rank = models.FloatField(default=0.0)  # ranking.rank(score, published or found)
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Indexed only where set (see Meta): almost no candidate becomes a scoop.
    scoop = models.ForeignKey(
        Scoop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "url_key"], name="one_candidate_per_url_per_topic"
            )
        ]
        indexes = [
            models.Index(fields=["topic", "band0", "found_at"], name="candidate_band0"),
            models.Index(fields=["topic", "band1", "found_at"], name="candidate_band1"),
            models.Index(fields=["topic", "band2", "found_at"], name="candidate_band2"),
            models.Index(fields=["topic", "band3", "found_at"], name="candidate_band3"),
            models.Index(fields=["topic", "-found_at"], name="candidate_recent"),
            models.Index(
                fields=["scoop"], condition=models.Q(scoop__isnull=False), name="candidate_scoop"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self):
        return self.published_at or self.found_at


class Sighting(models.Model):
    """Another source that carried a candidate's very URL (the card lists it too)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sightings")
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "source"], name="one_sighting_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} also in {self.source_id}"


class TopicModel(models.Model):
    """What ranking has learned about a topic (ranking.Profile is built from it).

    ``scoops``: {scoop id: {term: count}} for the topic's recent scoops; ``stats``: {"n": items,
    "df": {term: items with it}} over recent candidates; ``weights``: the learned term and
    source weights ("src:<id>").
    """

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="suggestion_model")
    scoops = models.JSONField(default=dict, blank=True)
    last_scoop_id = models.BigIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    weights = models.JSONField(default=dict, blank=True)
    bias = models.FloatField(default=0.0)
    decisions = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    rescored_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ranking model of {self.topic_id}"


class Action(models.TextChoices):
    DISMISS = "dismiss", _("dismiss")
    SCOOP = "scoop", _("scoop")


class Decision(models.Model):
    """One triage decision, kept so that it can be undone exactly (model deltas included)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    stories = models.JSONField(default=list)  # story ids
    candidates = models.JSONField(default=list)  # candidate ids, when only some were decided
    deltas = models.JSONField(default=dict)  # what the decision added to the learned weights
    bias_delta = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["topic", "by", "-created_at"], name="decision_last")]

    def __str__(self) -> str:
        return f"{self.action} of {len(self.stories)} by {self.by_id}"
