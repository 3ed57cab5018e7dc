"""The archived copy of a scoop's article, kept apart so that list pages never load it."""

from django.db import models


class Archive(models.Model):
    scoop = models.OneToOneField("topics.Scoop", on_delete=models.CASCADE, related_name="archive")
    final_url = models.URLField(max_length=2000)
    text = models.TextField()
    html = models.TextField()  # sanitized when stored
    word_count = models.PositiveIntegerField(default=0)
    reading_minutes = models.PositiveIntegerField(default=0)
    favicon_url = models.URLField(max_length=2000, blank=True)
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Archive of {self.scoop_id}"
