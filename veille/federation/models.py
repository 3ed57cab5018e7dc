"""Actors of the fediverse, local and remote. Federation is stored rows (DESIGN.md).

The inbox, delivery and block models live in ``veille.federation.models_*`` modules imported
at the end of this file.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActorKey(models.Model):
    """The RSA key pair that signs for a local actor: a topic, a curator, or the instance."""

    topic = models.OneToOneField(
        "topics.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="actor_key"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actor_key",
    )
    is_instance = models.BooleanField(default=False)
    public_key_pem = models.TextField()
    private_key_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_instance"], condition=Q(is_instance=True), name="one_instance_key"
            ),
            models.CheckConstraint(
                condition=(
                    Q(topic__isnull=False, user__isnull=True, is_instance=False)
                    | Q(topic__isnull=True, user__isnull=False, is_instance=False)
                    | Q(topic__isnull=True, user__isnull=True, is_instance=True)
                ),
                name="key_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"key of {self.topic or self.user or 'the instance'}"


class RemoteActor(models.Model):
    """A person, group or service of another server, as its actor document described it."""

    uri = models.URLField(max_length=2000, unique=True)
    domain = models.CharField(max_length=255, db_index=True)
    actor_type = models.CharField(max_length=40, default="Person")
    username = models.CharField(max_length=255, blank=True)  # preferredUsername
    name = models.CharField(max_length=255, blank=True)
    summary_html = models.TextField(blank=True)  # sanitized
    url = models.URLField(max_length=2000, blank=True)  # profile page
    icon_url = models.URLField(max_length=2000, blank=True)
    inbox = models.URLField(max_length=2000, blank=True)
    shared_inbox = models.URLField(max_length=2000, blank=True)
    outbox = models.URLField(max_length=2000, blank=True)
    key_id = models.CharField(max_length=2000, blank=True)
    public_key_pem = models.TextField(blank=True)
    moved_to = models.URLField(max_length=2000, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        return f"@{self.username}@{self.domain}" if self.username else self.uri

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.uri


from veille.federation.models_delivery import *  # noqa: E402, F403
from veille.federation.models_social import *  # noqa: E402, F403
