"""Sources of a topic: feeds, websites, sitemaps and keyword queries.

Polling is driven by these rows (as in Miniflux and Takahē): each source keeps when it is next due,
what the server said last time (ETag, Last-Modified) and how it has been failing. The poller claims
due rows with a lease (``lease_expires_at`` + ``claim_token``) so that no two workers poll one
source at once; see veille/sources/poller.py and docs/sources.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veille.topics.models import Topic


class SourceKind(models.TextChoices):
    FEED = "feed", _("feed")
    SITE = "site", _("website")
    SITEMAP = "sitemap", _("sitemap")
    KEYWORD = "keyword", _("keyword query")


POLLED_KINDS = (SourceKind.FEED, SourceKind.SITE, SourceKind.SITEMAP)


class Source(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("URL"), max_length=2000, blank=True)  # normalized; empty for keywords
    title = models.CharField(_("title"), max_length=300, blank=True)
    site_url = models.URLField(max_length=2000, blank=True)  # the feed's own link (its home page)
    # Keyword sources: a search query that suggestions match against everything ingested.
    query = models.CharField(_("query"), max_length=500, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)  # read by ranking
    enabled = models.BooleanField(_("enabled"), default=True)

    # Scheduling.
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    poll_interval = models.PositiveIntegerField(default=3600)  # seconds, adaptive 15 min..24 h
    ttl_hint = models.PositiveIntegerField(null=True, blank=True)  # seconds: ttl, sy:updatePeriod
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_new_count = models.PositiveIntegerField(default=0)  # new items at the last poll

    # What the server said: conditional GET, and a body hash for servers without validators.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    # Failures: reset by the next success.
    error_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "url"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "url"],
                condition=~Q(kind="keyword"),
                name="unique_source_url_per_topic",
            ),
            models.UniqueConstraint(
                fields=["topic", "query"],
                condition=Q(kind="keyword"),
                name="unique_keyword_query_per_topic",
            ),
            models.CheckConstraint(
                condition=(Q(kind="keyword") & ~Q(query="")) | (~Q(kind="keyword") & ~Q(url="")),
                name="source_has_url_or_query",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="source_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title or self.query or self.url

    @property
    def is_polled(self) -> bool:
        return self.kind != SourceKind.KEYWORD

    @property
    def display_title(self) -> str:
        return self.title or self.query or self.url
