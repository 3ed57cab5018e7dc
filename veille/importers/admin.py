"""The operators' view of import jobs: read-only (jobs are made by the import page and run by
their task), to see what was imported, by whom, and why a job failed."""

from django.contrib import admin

from veille.importers.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "topic", "user", "format", "status", "created", "failed")
    list_filter = ("status", "format")
    list_select_related = ("topic", "user")
    search_fields = ("topic__slug", "user__username", "file_name")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
