from django import forms
from django.utils.translation import gettext_lazy as _

from veille.importers.models import ImportFormat


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    file = forms.FileField(label=_("File"))
    draft = forms.BooleanField(
        label=_("Import as drafts"),
        required=False,
        help_text=_("Links stay unpublished until you publish them. Private links always do."),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"format": data["format"], "upload": data["file"], "draft": data["draft"]}

    def add_service_errors(self, error) -> None:
        for field, messages in getattr(error, "error_dict", {None: error.error_list}).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
