from django import forms
from django.utils.translation import gettext_lazy as _

from veille.topics.forms import ScoopForm
from veille.topics.models import Topic


class CaptureScoopForm(ScoopForm):
    """The scoop form of the capture flow: the same fields, plus the topic to publish in."""

    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), to_field_name="slug"
    )
    field_order = ["url", "topic", "title", "image_url"]

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topics is not None:
            self.fields["topic"].queryset = topics
        self.fields["image_url"].widget = forms.HiddenInput()
        self.fields["image_url"].label = _("Image")
