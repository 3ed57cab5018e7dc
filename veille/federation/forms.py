"""Forms parse input; the federation services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FollowRemoteForm(forms.Form):
    handle = forms.CharField(
        label=_("Fediverse address"),
        max_length=300,
        help_text=_("Like @name@example.social, or the address of the account's page."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
