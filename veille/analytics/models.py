"""Daily view counters. No raw address is ever stored: see services.py."""

from django.db import models


class DailyViews(models.Model):
    """Views of a topic page (scoop null) or of a post page, one row per day."""

    topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE, related_name="+")
    scoop = models.ForeignKey(
        "topics.Scoop", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "scoop", "day"], name="one_row_per_page_day",
                                    nulls_distinct=False),
        ]


class VisitorMark(models.Model):
    """A visitor already counted today for a page: an HMAC of a daily salt, address and agent.

    Rows are deleted with their day's salt, so yesterday's visitors cannot be recognised.
    """

    day = models.DateField(db_index=True)
    key = models.CharField(max_length=64, unique=True)


class DailySalt(models.Model):
    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)
