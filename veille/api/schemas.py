"""What the API reads and writes. Limits mirror the database columns, so that input the
database would refuse is a 422 here rather than an error there."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

from veille.api import links
from veille.topics.selectors import topic_curators, topics_curated_by

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# http(s) and the characters RFC 3986 allows, so that normalizing cannot lengthen the address.
URL_PATTERN = r"^(https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+)?$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,6})?$"


def _storable(value: str) -> str:
    """Text every database stores: no NUL character (PostgreSQL refuses it), no lone surrogate."""
    if "\x00" in value:
        raise ValueError(_("NUL characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(_("This is not valid Unicode text.")) from exc
    return value


def _sane_date(value: dt.datetime) -> dt.datetime:
    if not 1970 <= value.year <= 9000:
        raise ValueError(_("Give a date between 1970 and 9000."))
    return value


def Text(max_length: int, **field):  # noqa: N802 (reads as a type)
    return Annotated[str, Field(max_length=max_length, **field), AfterValidator(_storable)]


WebUrl = Annotated[str, Field(max_length=2000, pattern=URL_PATTERN)]
Date = Annotated[AwareDatetime, AfterValidator(_sane_date)]


class Problem(Schema):
    """An error, as RFC 9457 problem details (served as application/problem+json)."""

    type: str = Field(examples=["https://veille.example/api/problems/validation-error"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["A scoop needs a title."])
    instance: str = Field(examples=["/api/v1/topics/toulouse-networks/scoops"])
    errors: list[dict] | None = Field(
        None, examples=[[{"detail": "A scoop needs a title.", "pointer": "#/title"}]]
    )


# --- people ---------------------------------------------------------------------------------


class UserRef(Schema):
    username: str = Field(examples=["jacques"])
    name: str = Field(examples=["Jacques Le Bris"])
    url: str = Field(examples=["https://veille.example/u/jacques/"])
    api_url: str

    @staticmethod
    def resolve_url(user):
        return links.page_url(user)

    @staticmethod
    def resolve_api_url(user):
        return links.api_url("users", user.username)


class TopicRef(Schema):
    slug: str = Field(examples=["toulouse-networks"])
    title: str = Field(examples=["Toulouse networks"])
    url: str
    api_url: str

    @staticmethod
    def resolve_url(topic):
        return links.page_url(topic)

    @staticmethod
    def resolve_api_url(topic):
        return links.api_url("topics", topic.slug)


class UserOut(UserRef):
    bio: str = Field(examples=["Networks & people in Toulouse."])
    avatar_url: str | None
    topics: list[TopicRef]

    @staticmethod
    def resolve_avatar_url(user):
        return links.absolute_url(user.avatar.url) if user.avatar else None

    @staticmethod
    def resolve_topics(user):
        return topics_curated_by(user=user)


# --- topics ---------------------------------------------------------------------------------


class TopicOut(TopicRef):
    subtitle: str = Field(examples=["Réseautage de la Ville Rose"])
    language: str = Field(examples=["fr"])
    keywords: list[str] = Field(alias="keyword_list", examples=[["réseaux", "Toulouse"]])
    scoops_url: str
    cover_image_url: str | None
    follower_count: int
    scoop_count: int
    last_published_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_scoops_url(topic):
        return links.api_url("topics", topic.slug, "scoops")

    @staticmethod
    def resolve_cover_image_url(topic):
        return links.absolute_url(topic.cover_image.url) if topic.cover_image else None


class CuratorOut(Schema):
    user: UserRef
    role: str = Field(examples=["owner"], description="owner or editor.")


class TopicDetail(TopicOut):
    curators: list[CuratorOut]

    @staticmethod
    def resolve_curators(topic):
        return topic_curators(topic=topic)


class TopicPage(Schema):
    results: list[TopicOut]
    next: str | None = Field(description="The next page's address; null on the last page.")


Keywords = Annotated[list[Text(100)], Field(max_length=20)]


def _keywords_fit(keywords: list[str] | None) -> list[str] | None:
    if keywords is not None and len(", ".join(keywords)) > 500:
        raise ValueError(_("Keywords take at most 500 characters in all."))
    return keywords


class TopicPatch(Schema):
    """Only the fields sent change. Changing the address is for owners."""

    title: Text(200, min_length=1) = None
    slug: Annotated[str, Field(max_length=80, pattern=SLUG_PATTERN)] = None
    subtitle: Text(300) = None
    language: Annotated[str, Field(max_length=10, pattern=LANGUAGE_PATTERN)] = None
    keywords: Annotated[Keywords, AfterValidator(_keywords_fit)] = None

    def service_kwargs(self) -> dict:
        fields = self.dict(exclude_unset=True)
        if "keywords" in fields:
            fields["keywords"] = ", ".join(k.strip() for k in fields["keywords"] if k.strip())
        return fields


class TopicIn(TopicPatch):
    title: Text(200, min_length=1) = Field(examples=["Toulouse networks"])
    slug: Annotated[str, Field(max_length=80, pattern=SLUG_PATTERN)] = Field(
        examples=["toulouse-networks"], description="The topic's address, /topic/<slug>/."
    )


# --- scoops ---------------------------------------------------------------------------------


class ScoopOut(Schema):
    id: int = Field(examples=[42])
    title: str = Field(examples=["Le numérique à Toulouse : les réseaux à suivre"])
    url: str = Field(alias="source_url", description="The article's address.")
    page_url: str = Field(description="The post on this site.")
    api_url: str
    topic: TopicRef
    curator: UserRef
    site_name: str
    author: str
    language: str
    image_url: str = Field(description="The lead image where it was found.")
    image_alt: str
    thumbnail_url: str | None = Field(description="Our copy of the lead image, once made.")
    excerpt_html: str = Field(description="Sanitized HTML.")
    insight: str = Field(alias="insight_markdown", description="The curator's insight, Markdown.")
    insight_html: str = Field(description="The insight rendered, sanitized.")
    tags: list[str] = Field(examples=[["réseaux", "toulouse"]])
    status: str = Field(examples=["published"], description="published, scheduled or draft.")
    pinned: bool
    published_at: dt.datetime | None
    date_is_estimated: bool = Field(description="An import found no date: order only.")
    rescooped_from: str | None = Field(description="The first curator's post, for a rescoop.")
    comment_count: int = Field(alias="total_comment_count")
    thanks_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_page_url(scoop):
        return links.page_url(scoop)

    @staticmethod
    def resolve_api_url(scoop):
        return links.api_url("topics", scoop.topic.slug, "scoops", scoop.pk)

    @staticmethod
    def resolve_thumbnail_url(scoop):
        return links.media_url(scoop.image_src)

    @staticmethod
    def resolve_tags(scoop):
        return sorted(tag.name for tag in scoop.tags.all())

    @staticmethod
    def resolve_rescooped_from(scoop):
        return links.page_url(scoop.root) if scoop.root_id and scoop.root else None


class ScoopPage(Schema):
    results: list[ScoopOut]
    next: str | None = Field(description="The next page's address; null on the last page.")


Tags = Annotated[list[Text(100)], Field(max_length=30)]


class ScoopPatch(Schema):
    """Only the fields sent change."""

    title: Text(300, min_length=1) = None
    url: WebUrl = None
    image_url: WebUrl = None
    image_alt: Text(300) = None
    excerpt: Text(100_000) = Field(None, description="HTML or text; it is sanitized.")
    insight: Text(50_000) = Field(None, description="Markdown.")
    tags: Tags = None
    pinned: bool = None
    draft: bool = Field(None, description="true: a draft; false: published, or scheduled.")
    publish_at: Date | None = Field(None, description="A future date schedules the post.")

    def service_kwargs(self) -> dict:
        fields = self.dict(exclude_unset=True)
        if "excerpt" in fields:
            fields["excerpt_html"] = fields.pop("excerpt")
        return fields


class ScoopIn(ScoopPatch):
    title: Text(300, min_length=1) = Field(examples=["Les réseaux à suivre à Toulouse"])
    url: WebUrl = Field("", examples=["https://example.org/article"])
    tags: Tags = Field([], examples=[["réseaux", "toulouse"]])


# --- comments, thanks, follows ----------------------------------------------------------------


class CommentOut(Schema):
    id: int
    author: UserRef
    body: str = Field(alias="body_markdown", description="Markdown, as written.")
    body_html: str = Field(description="Rendered, sanitized.")
    created_at: dt.datetime


class CommentList(Schema):
    results: list[CommentOut]


class CommentIn(Schema):
    body: Text(5000, min_length=1) = Field(examples=["Merci, très utile !"])


class ThanksState(Schema):
    thanked: bool
    thanks_count: int


class FollowState(Schema):
    following: bool
    follower_count: int


# --- search ---------------------------------------------------------------------------------


class SearchHit(Schema):
    """A post found, with its title and a snippet where the words found are marked (<mark>)."""

    id: int = Field(alias="scoop.pk")
    title: str = Field(alias="scoop.title")
    title_html: str
    snippet_html: str
    score: float
    url: str = Field(alias="scoop.source_url")
    page_url: str
    api_url: str
    topic: TopicRef = Field(alias="scoop.topic")
    curator: UserRef = Field(alias="scoop.curator")
    site_name: str = Field(alias="scoop.site_name")
    thumbnail_url: str | None
    published_at: dt.datetime | None = Field(alias="scoop.published_at")

    @staticmethod
    def resolve_page_url(result):
        return links.page_url(result.scoop)

    @staticmethod
    def resolve_api_url(result):
        return links.api_url("topics", result.scoop.topic.slug, "scoops", result.scoop.pk)

    @staticmethod
    def resolve_thumbnail_url(result):
        return links.media_url(result.scoop.image_src)


class SearchResults(Schema):
    results: list[SearchHit]
    total: int = Field(description="Posts found in all.")
    next: str | None = Field(description="The next page's address; null on the last page.")
    notes: list[str] = Field(description="Parts of the query that could not be read.")
