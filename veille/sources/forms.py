"""Forms of the sources page parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_OPML_BYTES = 2 * 1024 * 1024


class AddUrlForm(forms.Form):
    url = forms.URLField(
        label=_("Feed or website address"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("A feed, or a site: Veille finds its feed, else follows its article links."),
    )


class AddKeywordForm(forms.Form):
    query = forms.CharField(
        label=_("Keyword query"),
        max_length=500,
        help_text=_(
            "Matched against everything Veille reads. Phrases in quotes, OR, and - to exclude: "
            '"réseau social" toulouse -football'
        ),
    )


class WeightForm(forms.Form):
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=10)


class OpmlUploadForm(forms.Form):
    file = forms.FileField(label=_("OPML file"), help_text=_("Exported from a feed reader."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        return upload
