"""Federation is stored rows (DESIGN.md): what came in, what goes out, and how each host answers.

Imported at the end of models.py, so that these are models of the federation app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Delivery",
    "DeliveryState",
    "HostHealth",
    "InboxMessage",
    "MessageState",
    "OutboxActivity",
]


class MessageState(models.TextChoices):
    RECEIVED = "received", _("received")
    PROCESSED = "processed", _("processed")
    IGNORED = "ignored", _("ignored")
    FAILED = "failed", _("failed")


class InboxMessage(models.Model):
    """A verified activity posted to one of our inboxes, handled later by a task."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Unique: a replayed activity is not stored, nor handled, twice.
    activity_id = models.CharField(max_length=2000, unique=True)
    activity_type = models.CharField(max_length=60)
    actor_uri = models.URLField(max_length=2000)
    payload = models.JSONField()
    key_id = models.CharField(max_length=2000)
    state = models.CharField(
        max_length=10, choices=MessageState.choices, default=MessageState.RECEIVED
    )
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "received_at"], name="inbox_state_received")]

    def __str__(self) -> str:
        return f"{self.activity_type} from {self.actor_uri}"


class OutboxActivity(models.Model):
    """An activity one of our actors sent: a topic, a user, or (neither set) the instance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(
        "topics.Topic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_activities",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_activities",
    )
    activity_type = models.CharField(max_length=60)
    # The id of the object it is about (a post, a follow, a remote note): lookups and idempotence.
    object_uri = models.CharField(max_length=2000, blank=True, db_index=True)
    activity = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.activity_type} {self.object_uri}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One activity to one inbox URL (a shared inbox serves every follower of its host)."""

    activity = models.ForeignKey(
        OutboxActivity, on_delete=models.CASCADE, related_name="deliveries"
    )
    inbox = models.URLField(max_length=2000)
    host = models.CharField(max_length=255, db_index=True)  # host[:port] of the inbox
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    # Set by the worker that claimed the row, so that two workers never send it twice.
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="one_delivery_per_inbox")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.activity_id} to {self.inbox} ({self.state})"


class HostHealth(models.Model):
    """How a remote host answers our deliveries; a host that keeps failing waits for a probe."""

    host = models.CharField(max_length=255, unique=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    # While the host is marked failing, its deliveries wait until then (one goes as a probe).
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "host health"

    def __str__(self) -> str:
        return self.host
