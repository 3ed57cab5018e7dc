"""Blocklists of the operator, and removing everything a remote actor sent us.

A blocked domain covers its subdomains (as on Mastodon); a blocked actor is one actor id. Blocked
peers are refused at the inbox, never fetched and never delivered to; creating a block removes
what they already sent: comments, likes and shares, follows, posts.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from veille.federation.models import (
    ActorBlock,
    Delivery,
    DeliveryState,
    DomainBlock,
    Follower,
    FollowState,
    ReactionKind,
    RemoteActor,
)
from veille.federation.payloads import hostname_of
from veille.topics.models import Comment, Scoop, Topic


def _suffixes(hostname: str) -> list[str]:
    """mastodon.social.example -> itself, social.example, example."""
    parts = hostname.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def domain_blocked(uri: str) -> bool:
    hostname = hostname_of(uri)
    return bool(hostname) and DomainBlock.objects.filter(domain__in=_suffixes(hostname)).exists()


def blocked_domains() -> set[str]:
    """Every blocked domain, for checking many addresses with one query."""
    return set(DomainBlock.objects.values_list("domain", flat=True))


def domain_in(hostname: str, domains: set[str]) -> bool:
    return any(suffix in domains for suffix in _suffixes(hostname))


def is_blocked(uri: str) -> bool:
    """Whether the actor (or object) at ``uri`` is blocked, by its domain or by itself."""
    actor_uri = uri.split("#", 1)[0]
    return domain_blocked(uri) or ActorBlock.objects.filter(uri=actor_uri).exists()


def _on_domain(field: str, domain: str) -> Q:
    """``field`` (a host[:port]) is the domain or one of its subdomains, with any port."""
    return (
        Q(**{field: domain})
        | Q(**{f"{field}__startswith": f"{domain}:"})
        | Q(**{f"{field}__endswith": f".{domain}"})
        | Q(**{f"{field}__contains": f".{domain}:"})
    )


@transaction.atomic
def block_domain(*, domain: str, reason: str = "") -> DomainBlock:
    domain = domain.strip().lower().rstrip(".")
    block, _created = DomainBlock.objects.update_or_create(
        domain=domain, defaults={"reason": reason}
    )
    for actor in RemoteActor.objects.filter(_on_domain("domain", domain)):
        purge_actor(actor=actor)
    Delivery.objects.filter(_on_domain("host", domain), state=DeliveryState.PENDING).update(
        state=DeliveryState.SKIPPED, last_error="the domain is blocked"
    )
    return block


@transaction.atomic
def block_actor(*, uri: str, reason: str = "") -> ActorBlock:
    block, _created = ActorBlock.objects.update_or_create(uri=uri, defaults={"reason": reason})
    actor = RemoteActor.objects.filter(uri=uri).first()
    if actor is not None:
        purge_actor(actor=actor)
    return block


def _decrement(model, counts: dict[int, int], field: str) -> None:
    for pk, n in counts.items():
        model.objects.filter(pk=pk).update(**{field: Greatest(F(field) - n, 0)})


def _counts(queryset, key: str) -> dict[int, int]:
    rows = queryset.values(key).annotate(n=Count("pk")).values_list(key, "n")
    return dict(rows)


@transaction.atomic
def purge_actor(*, actor: RemoteActor, gone: bool = False) -> None:
    """Remove what ``actor`` sent, keeping the counters of our scoops and topics in step."""
    comments = Comment.objects.filter(remote_author=actor)
    _decrement(Scoop, _counts(comments.filter(hidden=False), "scoop_id"), "comment_count")
    comments.delete()
    likes = actor.reactions.filter(kind=ReactionKind.LIKE)
    _decrement(Scoop, _counts(likes, "scoop_id"), "thanks_count")
    actor.reactions.all().delete()
    follows = Follower.objects.filter(actor=actor)
    accepted = follows.filter(state=FollowState.ACCEPTED, topic__isnull=False)
    _decrement(Topic, _counts(accepted, "topic_id"), "follower_count")
    follows.delete()
    actor.local_followers.all().delete()
    actor.posts.all().delete()
    if gone:
        RemoteActor.objects.filter(pk=actor.pk).update(deleted_at=timezone.now())
