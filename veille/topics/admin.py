"""The operators' view of topics, scoops and what readers do with them.

The services keep counters and render insights; the admin shows those read-only, offers no edit
that would skip a service (insight HTML, status, comment visibility, the source address and its
duplicate check), and does what the services do after an edit or a deletion: counters, search
index, and the Update or Delete sent to the fediverse. A topic followed from the fediverse keeps
its address (slug) here too.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count, F
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from veille.search import services as search_index
from veille.topics.models import Comment, Curator, Follow, Scoop, Tag, Thanks, Topic
from veille.topics.selectors import has_fediverse_followers
from veille.topics.services import scoop_changed, scoop_deletion, topic_refresh_counters


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows that users make and unmake themselves, with counters kept in step by the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CuratorInline(admin.TabularInline):
    model = Curator
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "language",
        "scoop_count",
        "follower_count",
        "last_published_at",
    )
    list_filter = ("language",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "scoop_count",
        "follower_count",
        "imported_views",
        "last_published_at",
        "created_at",
        "updated_at",
    )
    inlines = [CuratorInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and has_fediverse_followers(topic=obj):
            return (*fields, "slug")  # its fediverse address: see services.topic_update
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}  # a read-only slug is not in the form to be filled
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "language" in form.changed_data:
            search_index.topic_language_changed(topic=obj)  # as services.topic_update does


@admin.register(Scoop)
class ScoopAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "topic",
        "curator",
        "status",
        "pinned",
        "published_at",
        "comment_count",
        "thanks_count",
    )
    list_filter = ("status", "pinned", ("topic", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title",)
    list_select_related = ("topic", "curator")
    date_hierarchy = "published_at"
    autocomplete_fields = ("tags",)
    readonly_fields = (
        "topic",
        "curator",
        "status",
        "published_at",
        "origin",
        "root",
        "insight_markdown",
        "insight_html",
        "excerpt_html",
        "import_key",
        "source_url",  # its key refuses duplicates: changed through the scoop's edit page
        "comment_count",
        "imported_comment_count",
        "thanks_count",
        "created_at",
        "updated_at",
    )
    exclude = ("slug",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False  # posting goes through the topic page, which renders and counts

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scoop_changed(scoop=form.instance)  # once the tags (indexed too) are saved

    def delete_model(self, request, obj):
        topic, announce = obj.topic, scoop_deletion(obj)
        super().delete_model(request, obj)
        announce()
        topic_refresh_counters(topic=topic)

    def delete_queryset(self, request, queryset):
        topics = list(Topic.objects.filter(scoops__in=queryset).distinct())
        announcements = [scoop_deletion(scoop) for scoop in queryset.select_related("topic")]
        super().delete_queryset(request, queryset)
        for announce in announcements:
            announce()
        for topic in topics:
            topic_refresh_counters(topic=topic)


def _uncount_comments(comments) -> None:
    """What services.comment_delete does to the counter, for comments deleted here."""
    visible = comments.filter(hidden=False).values("scoop_id").annotate(n=Count("pk"))
    for row in visible:
        Scoop.objects.filter(pk=row["scoop_id"]).update(comment_count=F("comment_count") - row["n"])


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("short_body", "author", "scoop", "hidden", "created_at")
    list_filter = ("hidden",)
    search_fields = ("body_markdown", "author__username")
    list_select_related = ("author", "scoop")
    readonly_fields = ("scoop", "author", "body_markdown", "body_html", "hidden", "created_at")

    @admin.display(description=_("comment"))
    def short_body(self, comment):
        return Truncator(comment.body_markdown).chars(80)

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        _uncount_comments(Comment.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _uncount_comments(queryset)
        super().delete_queryset(request, queryset)


@admin.register(Follow)
class FollowAdmin(ViewOnlyAdmin):
    list_display = ("user", "topic", "created_at")
    list_select_related = ("user", "topic")
    search_fields = ("user__username", "topic__title")


@admin.register(Thanks)
class ThanksAdmin(ViewOnlyAdmin):
    list_display = ("user", "scoop", "created_at")
    list_select_related = ("user", "scoop")
    search_fields = ("user__username", "scoop__title")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
