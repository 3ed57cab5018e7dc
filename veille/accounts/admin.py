"""The operators' view of accounts: Django's user admin with Veille's profile fields."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veille.accounts import services
from veille.accounts.models import User


@admin.register(User)
class VeilleUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "bio", "avatar", "is_placeholder")}),
    )
    # Avatars are only set through the profile page, which re-encodes them: an upload here would
    # be served as it came. Operators can still remove one with the action below.
    readonly_fields = ("avatar",)
    list_display = (
        "username",
        "email",
        "display_name",
        "is_staff",
        "is_active",
        "is_placeholder",
        "date_joined",
    )
    list_filter = (*UserAdmin.list_filter, "is_placeholder")
    search_fields = (*UserAdmin.search_fields, "display_name")
    actions = ["remove_avatars"]

    @admin.action(description=_("Remove the avatar of the selected users"))
    def remove_avatars(self, request, queryset):
        users = queryset.exclude(avatar="")
        for user in users:
            services.profile_update(user=user, remove_avatar=True)
        count = len(users)
        self.message_user(
            request,
            ngettext("%d avatar removed.", "%d avatars removed.", count) % count,
            messages.SUCCESS,
        )
