"""Who follows whom across servers, what remote actors sent us, and what the operator blocks.

Imported at the end of models.py, so that these are models of the federation app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ActorBlock",
    "DomainBlock",
    "FollowState",
    "Follower",
    "Following",
    "FollowingState",
    "ReactionKind",
    "RemotePost",
    "RemoteReaction",
]


class FollowState(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Follower(models.Model):
    """A remote actor following one of our actors: a topic, or a curator."""

    topic = models.ForeignKey(
        "topics.Topic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fediverse_followers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fediverse_followers",
    )
    actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="follows_of_ours"
    )
    state = models.CharField(max_length=10, choices=FollowState.choices)
    follow_activity_id = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "actor"],
                condition=Q(topic__isnull=False),
                name="one_follower_row_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "actor"],
                condition=Q(user__isnull=False),
                name="one_follower_row_per_user",
            ),
            models.CheckConstraint(
                condition=Q(topic__isnull=False, user__isnull=True)
                | Q(topic__isnull=True, user__isnull=False),
                name="follower_follows_one_local_actor",
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "state"], name="follower_topic_state"),
            models.Index(fields=["user", "state"], name="follower_user_state"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} follows {self.topic or self.user} ({self.state})"


class FollowingState(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ACCEPTED = "accepted", _("accepted")


class Following(models.Model):
    """A local user following a remote actor; ``accepted`` once the actor's server said so."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fediverse_following"
    )
    actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="local_followers"
    )
    state = models.CharField(
        max_length=10, choices=FollowingState.choices, default=FollowingState.PENDING
    )
    follow_activity_id = models.URLField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "actor"], name="one_following_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.actor} ({self.state})"


class RemotePost(models.Model):
    """A post of a remote actor that local users follow, shown on their fediverse page."""

    uri = models.URLField(max_length=2000, unique=True)
    actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="posts"
    )
    content_html = models.TextField(blank=True)  # sanitized
    summary = models.CharField(max_length=500, blank=True)  # the content warning
    sensitive = models.BooleanField(default=False)
    url = models.URLField(max_length=2000, blank=True)  # its page on the remote server
    in_reply_to = models.URLField(max_length=2000, blank=True)
    attachment = models.JSONField(default=list, blank=True)  # [{"url", "media_type", "name"}]
    published = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["actor", "-published"], name="remote_post_actor_date")]

    def __str__(self) -> str:
        return self.uri


class ReactionKind(models.TextChoices):
    LIKE = "like", _("like")
    ANNOUNCE = "announce", _("share")


class RemoteReaction(models.Model):
    """A like (counted as thanks) or a share (boost) of one of our scoops by a remote actor."""

    scoop = models.ForeignKey(
        "topics.Scoop", on_delete=models.CASCADE, related_name="remote_reactions"
    )
    actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    activity_id = models.URLField(max_length=2000, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scoop", "actor", "kind"], name="one_reaction_per_kind_per_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.kind} {self.scoop_id}"


class DomainBlock(models.Model):
    """A server (and its subdomains) that we refuse to hear from or deliver to."""

    domain = models.CharField(_("domain"), max_length=255, unique=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain


class ActorBlock(models.Model):
    """One remote actor that we refuse to hear from or deliver to."""

    uri = models.URLField(_("actor address"), max_length=2000, unique=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.uri
