"""The operators' view of sources: their state at a glance; scheduling fields stay read-only."""

from django.contrib import admin

from veille.sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "topic", "kind", "enabled", "next_poll_at", "error_count")
    list_filter = ("kind", "enabled")
    search_fields = ("title", "url", "query", "topic__slug")
    list_select_related = ("topic",)
    raw_id_fields = ("topic", "created_by")
    readonly_fields = (
        "next_poll_at",
        "poll_interval",
        "ttl_hint",
        "lease_expires_at",
        "claim_token",
        "last_polled_at",
        "last_new_count",
        "etag",
        "last_modified",
        "content_hash",
        "error_count",
        "last_error",
        "last_error_at",
        "failing_since",
        "created_at",
    )
