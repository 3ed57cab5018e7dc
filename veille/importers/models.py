"""Rows of the importers: import jobs started from the web, and what a Veille JSON import must
remember to stay idempotent and to keep rescoop credits (docs/import-export.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from veille.topics.models import Scoop, Topic


class ImportFormat(models.TextChoices):
    HTML = "html", _("Bookmarks file (HTML: browsers, linkding, Shaarli, Pinboard, Raindrop)")
    POCKET = "pocket", _("Pocket export (CSV)")
    OPML = "opml", _("OPML list of feeds (the topic's sources)")
    SCOOPIT = "scoopit", _("Scoop.it topic page saved as text")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """An import started from a topic's import page, run by a task; the page shows its progress."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="import_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    draft = models.BooleanField(_("import as drafts"), default=False)
    # The upload, relative to VEILLE_DATA_DIR/imports/; removed when the job ends.
    file = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)  # as uploaded, for the page
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveIntegerField(default=0)  # items handled so far
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first 100 failures, with lines
    notices = models.JSONField(default=list, blank=True)  # the first 100 skipped, with reasons
    message = models.TextField(blank=True)  # why the whole import could not run
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["topic", "-created_at"], name="import_job_topic")]

    def __str__(self) -> str:
        return f"{self.format} import into {self.topic_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class TopicOrigin(models.Model):
    """The id a topic has in the Veille export it was imported from: importing that export
    again updates this topic, even when it was given another address (``--rename``)."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="import_origin")
    key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"{self.topic_id} from {self.key}"


class CreditRole(models.TextChoices):
    ORIGIN = "origin", _("origin")
    ROOT = "root", _("root")


class PendingCredit(models.Model):
    """A rescoop's origin or root that an import named but this instance does not have (yet).

    Kept so that an export says it again, and completed when a scoop with that id arrives.
    """

    scoop = models.ForeignKey(Scoop, on_delete=models.CASCADE, related_name="pending_credits")
    role = models.CharField(max_length=6, choices=CreditRole.choices)
    key = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scoop", "role"], name="one_pending_credit_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.scoop_id}: {self.key}"
