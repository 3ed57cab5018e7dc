"""The operator's view of federation: delivery health per host, messages, blocklists."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from veille.federation import blocks
from veille.federation.models import (
    ActorBlock,
    Delivery,
    DeliveryState,
    DomainBlock,
    Follower,
    HostHealth,
    InboxMessage,
    RemoteActor,
)


@admin.register(HostHealth)
class HostHealthAdmin(admin.ModelAdmin):
    list_display = (
        "host",
        "failing_since",
        "consecutive_failures",
        "pending_deliveries",
        "next_try_at",
        "last_success_at",
        "last_error",
    )
    search_fields = ("host",)
    ordering = ("-consecutive_failures", "host")

    def get_queryset(self, request):
        pending = (
            Delivery.objects.filter(host=OuterRef("host"), state=DeliveryState.PENDING)
            .order_by()
            .values("host")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(pending=Coalesce(Subquery(pending, output_field=IntegerField()), 0))
        )

    @admin.display(ordering="pending", description="pending deliveries")
    def pending_deliveries(self, obj) -> int:
        return obj.pending


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("inbox", "state", "attempts", "next_attempt_at", "last_status", "sent_at")
    list_filter = ("state",)
    search_fields = ("host", "inbox")
    list_select_related = ("activity",)
    raw_id_fields = ("activity",)


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ("activity_type", "actor_uri", "state", "received_at", "error")
    list_filter = ("state", "activity_type")
    search_fields = ("activity_id", "actor_uri")


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ("uri", "actor_type", "name", "fetched_at", "deleted_at")
    search_fields = ("uri", "username", "name")


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("actor", "topic", "user", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("actor", "topic", "user")
    raw_id_fields = ("actor", "topic", "user")


class _BlockAdmin(admin.ModelAdmin):
    """Creating a block goes through its service: what the peer sent is removed at once."""

    block = None  # the service

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = self.block(**{self.key: getattr(obj, self.key), "reason": obj.reason})
        obj.pk = created.pk


@admin.register(DomainBlock)
class DomainBlockAdmin(_BlockAdmin):
    list_display = ("domain", "reason", "created_at")
    search_fields = ("domain",)
    key = "domain"
    block = staticmethod(blocks.block_domain)


@admin.register(ActorBlock)
class ActorBlockAdmin(_BlockAdmin):
    list_display = ("uri", "reason", "created_at")
    search_fields = ("uri",)
    key = "uri"
    block = staticmethod(blocks.block_actor)
