"""Topics, scoops and what readers do with them. Models stay lean: writes live in services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated.")
    )
    cover_image = models.ImageField(_("cover image"), upload_to="covers/", blank=True)
    # Federation: how the topic's actor behaves in the fediverse.
    visibility = models.CharField(
        _("visibility in the fediverse"),
        max_length=12,
        choices=[
            ("public", _("public")),
            ("unlisted", _("unlisted")),
            ("followers", _("followers only")),
        ],
        default="public",
    )
    approve_followers = models.BooleanField(_("approve followers by hand"), default=False)
    discoverable = models.BooleanField(_("listed in fediverse directories"), default=True)
    indexable = models.BooleanField(_("searchable by fediverse servers"), default=True)
    moderate_remote_comments = models.BooleanField(
        _("hold replies from the fediverse for moderation"), default=False
    )
    # Views counted elsewhere before this instance (an imported page's counter).
    imported_views = models.PositiveIntegerField(default=0)
    # Denormalized counters, kept by services: list pages read them without aggregates.
    follower_count = models.PositiveIntegerField(default=0)
    scoop_count = models.PositiveIntegerField(default=0)
    last_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:topic", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    EDITOR = "editor", _("editor")


class Curator(models.Model):
    """A person who curates a topic, with a role: owners manage curators and delete the topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="curators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curatorships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="unique_curator_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) of {self.topic}"


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class ScoopStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")


class Scoop(models.Model):
    """One curated article in a topic, with the curator's insight.

    A rescoop is a Scoop whose ``origin`` is another Scoop; ``root`` is the first scoop of the
    chain, so that credit to the first curator survives any number of rescoops.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="scoops")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scoops"
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    # sha256 of the normalized source URL: one scoop per article in a topic.
    source_key = models.CharField(max_length=64, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    source_published_at = models.DateTimeField(null=True, blank=True)
    image_url = models.URLField(_("image URL"), max_length=2000, blank=True)
    image_alt = models.CharField(max_length=300, blank=True)
    # Our own copies of the lead image (paths in media storage): pages never hot-link.
    thumbnail = models.CharField(max_length=200, blank=True)
    lead_image = models.CharField(max_length=200, blank=True)
    # An allow-listed https player URL from the page's oEmbed (YouTube, Vimeo, PeerTube).
    embed_src = models.URLField(max_length=500, blank=True)
    # Set by the periodic link check when the source answers 404/410 or its domain is gone.
    source_gone_at = models.DateTimeField(null=True, blank=True)
    source_checked_at = models.DateTimeField(null=True, blank=True)
    excerpt_html = models.TextField(blank=True)  # sanitized
    insight_markdown = models.TextField(_("insight"), blank=True)
    insight_html = models.TextField(blank=True)  # rendered from insight_markdown, sanitized
    tags = models.ManyToManyField(Tag, blank=True, related_name="scoops")
    status = models.CharField(
        max_length=10, choices=ScoopStatus.choices, default=ScoopStatus.PUBLISHED
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # How the date read where it came from (an import keeps "February 7, 1:02 PM" as written).
    date_text = models.CharField(max_length=100, blank=True)
    # The page an import read gave no date: published_at only keeps the page's order, and pages
    # do not show it as a date.
    date_is_estimated = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    # A content warning: federated as `sensitive` with this `summary`.
    content_warning = models.CharField(_("content warning"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescoops"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="descendants"
    )
    # Where an imported scoop came from: re-running an import updates instead of duplicating.
    import_key = models.CharField(max_length=64, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    imported_comment_count = models.PositiveIntegerField(default=0)
    thanks_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["topic", "status", "-pinned", "-published_at"], name="scoop_topic_page"
            ),
            # Feeds and the home page read newest first without the pinned flag.
            models.Index(
                fields=["topic", "status", "-published_at", "-id"], name="scoop_topic_feed"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "source_key"],
                condition=~Q(source_key=""),
                name="one_scoop_per_source_per_topic",
            ),
            models.UniqueConstraint(
                fields=["topic", "import_key"],
                condition=~Q(import_key=""),
                name="unique_import_key_per_topic",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Cached on the instance: a card links to its post several times, and reverse() is a
        # measurable share of a topic page's rendering.
        if "_url" not in self.__dict__:
            self._url = reverse("topics:post", args=[self.topic.slug, self.pk, self.slug or "post"])
        return self._url

    @property
    def is_published(self) -> bool:
        return self.status == ScoopStatus.PUBLISHED

    @property
    def image_src(self) -> str:
        """Our copy of the lead image for cards; empty until it is made (pages never hot-link)."""
        return f"{settings.MEDIA_URL}{self.thumbnail}" if self.thumbnail else ""

    @property
    def lead_image_src(self) -> str:
        """Our larger copy, for the post page."""
        return f"{settings.MEDIA_URL}{self.lead_image}" if self.lead_image else self.image_src

    @property
    def total_comment_count(self) -> int:
        return self.comment_count + self.imported_comment_count


class Comment(models.Model):
    """A comment by a local user, or a reply from the fediverse (``remote_author``)."""

    scoop = models.ForeignKey(Scoop, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    remote_author = models.ForeignKey(
        "federation.RemoteActor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    ap_id = models.URLField(max_length=2000, null=True, blank=True, unique=True)  # remote Note id
    body_markdown = models.TextField()
    body_html = models.TextField()
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(remote_author__isnull=False),
                name="comment_has_an_author",
            )
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author_name} on {self.scoop}"

    @property
    def author_name(self) -> str:
        return self.author.name if self.author_id else self.remote_author.display_name

    @property
    def author_url(self) -> str:
        if self.author_id:
            return self.author.get_absolute_url()
        return self.remote_author.url or self.remote_author.uri

    @property
    def author_avatar(self) -> str:
        if self.author_id:
            return self.author.avatar.url if self.author.avatar else ""
        return self.remote_author.icon_url


class Thanks(models.Model):
    scoop = models.ForeignKey(Scoop, on_delete=models.CASCADE, related_name="thanks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scoop", "user"], name="one_thanks_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} thanks {self.scoop}"


class Follow(models.Model):
    """A local user following a topic (fediverse and e-mail followers come with their issues)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="one_follow_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.topic}"
