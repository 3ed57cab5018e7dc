"""Reads for topic pages. Each list runs a fixed number of queries, whatever its length."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch, QuerySet

from veille.topics.models import Comment, Curator, Follow, Scoop, ScoopStatus, Thanks, Topic

PAGE_ORDER = ("-pinned", "-published_at", "-pk")


# Lists load only the columns a card shows: Django's SQL compiler spends time per selected column
# (about half of a topic page's server time with whole rows of five joined tables).
PERSON = ("username", "display_name")
CARD_FIELDS = (
    "topic_id",
    "curator_id",
    "title",
    "slug",
    "source_url",
    "image_alt",
    "thumbnail",
    "lead_image",
    "excerpt_html",
    "insight_html",
    "status",
    "published_at",
    "date_text",
    "date_is_estimated",
    "pinned",
    "origin_id",
    "root_id",
    "comment_count",
    "imported_comment_count",
    "thanks_count",
    "site_name",
    "embed_src",
    "content_warning",
    *(f"curator__{f}" for f in PERSON),
    "topic__slug",
    "topic__title",
    "root__curator_id",
    "root__topic_id",
    "root__slug",
    "root__topic__slug",
    "root__topic__title",
    *(f"root__curator__{f}" for f in PERSON),
)


def _published_rescoops() -> Prefetch:
    """Rescoops shown on a post as "<name>'s curator insight" (only those with an insight)."""
    rescoops = (
        Scoop.objects.filter(status=ScoopStatus.PUBLISHED)
        .exclude(insight_html="")
        .select_related("curator", "topic")
        .only(
            "origin_id",
            "topic_id",
            "curator_id",
            "slug",
            "insight_html",
            "published_at",
            "date_text",
            "topic__slug",
            *(f"curator__{f}" for f in PERSON),
        )
        .order_by("published_at", "pk")
    )
    return Prefetch("rescoops", queryset=rescoops, to_attr="curator_insights")


def _card_queryset() -> QuerySet[Scoop]:
    return (
        Scoop.objects.select_related("curator", "topic", "root__curator", "root__topic")
        .prefetch_related(_published_rescoops())
        .only(*CARD_FIELDS)
    )


def _post_queryset() -> QuerySet[Scoop]:
    """A whole post, for its page: every column, its tags, and where it was rescooped from."""
    return Scoop.objects.select_related(
        "curator", "topic", "origin__curator", "root__curator", "root__topic"
    ).prefetch_related("tags", _published_rescoops())


def published_posts(*, topic: Topic) -> QuerySet[Scoop]:
    return _card_queryset().filter(topic=topic, status=ScoopStatus.PUBLISHED).order_by(*PAGE_ORDER)


@dataclass
class PostPage:
    posts: list[Scoop]
    number: int
    has_next: bool
    next_number: int | None
    total: int


def _mark_thanked(posts: list[Scoop], viewer) -> None:
    thanked: set[int] = set()
    if viewer is not None and viewer.is_authenticated and posts:
        thanked = set(
            Thanks.objects.filter(user=viewer, scoop__in=[p.pk for p in posts]).values_list(
                "scoop_id", flat=True
            )
        )
    for post in posts:
        post.thanked_by_viewer = post.pk in thanked


def paginate_posts(
    queryset: QuerySet[Scoop], *, page: int, per_page: int, viewer, total: int | None = None
) -> PostPage:
    paginator = Paginator(queryset, per_page)
    if total is not None:
        paginator.count = total  # the topic keeps its own count: skip a COUNT(*) per page view
    try:
        current = paginator.page(page)
    except EmptyPage:
        current = paginator.page(paginator.num_pages)
    posts = list(current.object_list)
    _mark_thanked(posts, viewer)
    return PostPage(
        posts=posts,
        number=current.number,
        has_next=current.has_next(),
        next_number=current.next_page_number() if current.has_next() else None,
        total=paginator.count,
    )


def topic_posts_page(*, topic: Topic, viewer, page: int = 1, per_page: int = 10) -> PostPage:
    return paginate_posts(
        published_posts(topic=topic),
        page=page,
        per_page=per_page,
        viewer=viewer,
        total=topic.scoop_count,
    )


def post_for_page(*, topic: Topic, post_id: int, viewer) -> Scoop:
    """A post of the topic; drafts and scheduled posts only for the topic's curators."""
    post = _post_queryset().get(topic=topic, pk=post_id)
    _mark_thanked([post], viewer)
    return post


def comments_for_post(*, post: Scoop, viewer_is_curator: bool) -> list[Comment]:
    comments = Comment.objects.filter(scoop=post).select_related("author", "remote_author")
    if not viewer_is_curator:
        comments = comments.filter(hidden=False)
    return list(comments)


def topics_directory() -> QuerySet[Topic]:
    """Every topic with at least one published post first, most recently active first."""
    return Topic.objects.order_by("-last_published_at", "title")


def has_fediverse_followers(*, topic: Topic) -> bool:
    """Whether remote actors follow the topic (accepted follows): its address is then fixed."""
    from veille.federation.models import FollowState  # federation imports the topics models

    return topic.fediverse_followers.filter(state=FollowState.ACCEPTED).exists()


def topic_curators(*, topic: Topic) -> list[Curator]:
    return list(Curator.objects.filter(topic=topic).select_related("user").order_by("created_at"))


def followed_topic_ids(*, user) -> list[int]:
    return list(Follow.objects.filter(user=user).values_list("topic_id", flat=True))


def is_following(*, topic: Topic, user) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(topic=topic, user=user).exists()


def home_posts(*, user, page: int = 1, per_page: int = 20) -> PostPage:
    """New posts of the topics the user follows, newest first."""
    queryset = (
        _card_queryset()
        .filter(topic__follows__user=user, status=ScoopStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
    )
    return paginate_posts(queryset, page=page, per_page=per_page, viewer=user)


def topics_curated_by(*, user) -> QuerySet[Topic]:
    return Topic.objects.filter(curators__user=user).order_by("title")


def rescoop_targets(*, user, exclude: Topic) -> QuerySet[Topic]:
    """Topics the user curates, where a post of ``exclude`` can be rescooped."""
    return topics_curated_by(user=user).exclude(pk=exclude.pk)
