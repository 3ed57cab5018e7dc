"""Forms parse input; the services decide. Error messages are translatable."""

from django import forms
from django.utils.translation import gettext_lazy as _

from veille.topics.models import Topic


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = [
            "title",
            "slug",
            "subtitle",
            "language",
            "keywords",
            "cover_image",
            "visibility",
            "approve_followers",
            "discoverable",
            "indexable",
            "moderate_remote_comments",
        ]
        widgets = {"language": forms.Select(choices=[("en", "English"), ("fr", "Français")])}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["visibility"].required = False  # an older form or a script may omit it
        self.fields["slug"].help_text = _("Leave empty to derive it from the title.")

    def clean_visibility(self):
        return self.cleaned_data.get("visibility") or "public"

    def validate_unique(self):
        """Uniqueness is the service's call (it also reserves words such as 'new')."""


class ScoopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(
        label=_("Source URL"), required=False, max_length=2000, assume_scheme="https"
    )
    image_url = forms.URLField(
        label=_("Image URL"), required=False, max_length=2000, assume_scheme="https"
    )
    image_alt = forms.CharField(label=_("Image description"), required=False, max_length=300)
    excerpt = forms.CharField(
        label=_("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The part of the article you quote."),
    )
    insight = forms.CharField(
        label=_("Your insight"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown."),
    )
    content_warning = forms.CharField(
        label=_("Content warning"),
        required=False,
        max_length=200,
        help_text=_(
            "Leave empty for most posts. When set, readers see it first and open the post to "
            "read it, here and in the fediverse."
        ),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Comma-separated."))
    pinned = forms.BooleanField(label=_("Pin on top of the topic"), required=False)
    publish = forms.ChoiceField(
        label=_("Publish"),
        initial="now",
        widget=forms.RadioSelect,
        choices=[("now", _("Now")), ("draft", _("Save as draft")), ("schedule", _("Schedule"))],
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("publish") == "schedule" and not data.get("publish_at"):
            self.add_error("publish_at", _("Choose when to publish."))
        return data

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]

    def excerpt_html(self) -> str:
        """Plain text paragraphs become <p>; the service sanitizes whatever comes."""
        from django.utils.html import linebreaks

        return linebreaks(self.cleaned_data.get("excerpt", ""))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "url": data["url"],
            "image_url": data["image_url"],
            "image_alt": data["image_alt"],
            "excerpt_html": self.excerpt_html(),
            "insight": data["insight"],
            "tags": self.tag_list(),
            "pinned": data["pinned"],
            "content_warning": data["content_warning"],
        }

    def publish_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "draft": data["publish"] == "draft",
            "publish_at": data["publish_at"] if data["publish"] == "schedule" else None,
        }


class RescoopForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Into my topic"), queryset=Topic.objects.none())
    insight = forms.CharField(
        label=_("Your curator insight"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topics is not None:
            self.fields["topic"].queryset = topics


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CuratorForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("editor", _("editor")), ("owner", _("owner"))]
    )
