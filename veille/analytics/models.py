"""Daily view counters. No raw address is ever stored: see services.py and docs/analytics.md."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DailyViews(models.Model):
    """Views of a topic page (scoop null) or of a post page, one row per page and local day."""

    topic = models.ForeignKey(
        "topics.Topic", on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    # No separate index: the partial unique constraint below starts with scoop.
    scoop = models.ForeignKey(
        "topics.Scoop",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("post"),
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        # Two partial constraints rather than one with nulls_distinct=False: SQLite ignores
        # nulls_distinct, and the counting upsert relies on the uniqueness of topic-page rows.
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "day"],
                condition=Q(scoop__isnull=True),
                name="one_topic_page_row_per_day",
            ),
            models.UniqueConstraint(
                fields=["scoop", "day"],
                condition=Q(scoop__isnull=False),
                name="one_post_page_row_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.count}"


class VisitorMark(models.Model):
    """A visitor already counted today on one page: an HMAC of the day's salt, address, agent, page.

    Rows are deleted with their day's salt, so yesterday's visitors cannot be recognised.
    """

    day = models.DateField(db_index=True)
    key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"visitor mark of {self.day}"


class DailySalt(models.Model):
    """The random secret of one day; forgotten (deleted) once the day is over."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:  # never the salt itself: it would end up in logs
        return f"salt of {self.day}"
