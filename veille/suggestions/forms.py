from django import forms
from django.utils.translation import gettext_lazy as _


class BulkDismissForm(forms.Form):
    """Dismiss many stories at once: those on the page, the old ones, or one source's."""

    SCOPES = [
        ("visible", _("every suggestion on this page")),
        ("older", _("suggestions older than")),
        ("source", _("every suggestion from the source")),
    ]
    scope = forms.ChoiceField(label=_("Dismiss"), choices=SCOPES, widget=forms.RadioSelect)
    stories = forms.CharField(required=False, widget=forms.HiddenInput)
    days = forms.IntegerField(
        label=_("days"), min_value=1, max_value=3650, initial=7, required=False
    )
    source = forms.TypedChoiceField(label=_("source"), coerce=int, required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *((s["source_id"], s["name"]) for s in sources)]

    def clean_stories(self) -> list[int]:
        raw = self.cleaned_data.get("stories") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("The list of suggestions is not valid.")) from error

    def clean(self):
        data = super().clean()
        if data.get("scope") == "source" and not data.get("source"):
            self.add_error("source", _("Choose a source."))
        if data.get("scope") == "older" and not data.get("days"):
            self.add_error("days", _("Say how many days."))
        return data
