"""Daily counts are visible to staff, read-only.

Salts and visitor marks are deliberately not registered: with today's salt, anyone could test
whether a given address visited a page today. They live only until the purge.
"""

from django.contrib import admin

from veille.analytics.models import DailyViews


@admin.register(DailyViews)
class DailyViewsAdmin(admin.ModelAdmin):
    list_display = ("day", "topic", "scoop", "count")
    list_select_related = ("topic", "scoop")
    list_filter = ("day",)
    date_hierarchy = "day"
    search_fields = ("topic__title", "topic__slug", "scoop__title")
    ordering = ("-day", "-count")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
