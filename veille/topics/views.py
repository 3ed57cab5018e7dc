"""Topic and post pages. Views parse input and call services; services check permissions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from veille.accounts.models import User
from veille.analytics.selectors import view_stats
from veille.analytics.services import count_view
from veille.capture.models import Archive
from veille.search.selectors import related_posts
from veille.topics import selectors, services
from veille.topics.forms import CommentForm, CuratorForm, RescoopForm, ScoopForm, TopicForm
from veille.topics.models import Comment, Scoop
from veille.topics.permissions import curator_role, is_curator, is_owner


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require_GET
def directory(request):
    topics = selectors.topics_directory()
    return render(request, "topics/directory.html", {"topics": topics})


@login_required
@require_GET
def home(request):
    page = selectors.home_posts(user=request.user, page=_page_number(request))
    template = "topics/_post_list.html" if request.htmx else "topics/home.html"
    return render(request, template, {"page": page, "show_topic": True, "more_url": request.path})


def _topic(slug):
    return get_object_or_404(selectors.Topic, slug=slug)


@require_GET
def topic_page(request, slug):
    topic = _topic(slug)
    page = selectors.topic_posts_page(
        topic=topic,
        viewer=request.user,
        page=_page_number(request),
        per_page=settings.TOPIC_PAGE_SIZE,
    )
    context = {
        "topic": topic,
        "page": page,
        "more_url": request.path,
        "role": curator_role(request.user, topic),
    }
    if request.htmx and page.number > 1:
        return render(request, "topics/_post_list.html", context)
    count_view(request=request, topic=topic)
    context.update(
        views=view_stats(topic=topic),
        following=selectors.is_following(topic=topic, user=request.user),
        curators=selectors.topic_curators(topic=topic),
    )
    return render(request, "topics/topic.html", context)


@require_GET
def post_page(request, slug, post_id, post_slug):
    topic = _topic(slug)
    try:
        post = selectors.post_for_page(topic=topic, post_id=post_id, viewer=request.user)
    except Scoop.DoesNotExist as exc:
        raise Http404 from exc
    curator = is_curator(request.user, topic)
    if not post.is_published and not curator:
        raise Http404
    if post_slug != post.slug:
        return redirect(post, permanent=True)
    count_view(request=request, topic=topic, scoop=post)
    context = {
        "topic": topic,
        "post": post,
        "role": curator_role(request.user, topic),
        "views": view_stats(scoop=post),
        "comments": selectors.comments_for_post(post=post, viewer_is_curator=curator),
        "comment_form": CommentForm(),
        "has_archive": Archive.objects.filter(scoop=post).exists(),
        "related": related_posts(scoop=post),
        "rescoop_form": RescoopForm(
            topics=selectors.rescoop_targets(user=request.user, exclude=topic)
        )
        if request.user.is_authenticated
        else None,
    }
    return render(request, "topics/post.html", context)


# --- topic management -----------------------------------------------------------------------


@login_required
def topic_create(request):
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your topic is ready. Add its first scoop."))
            return redirect(topic)
    return render(request, "topics/topic_form.html", {"form": form, "topic": None})


@login_required
def topic_edit(request, slug):
    topic = _topic(slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied
    form = TopicForm(request.POST or None, request.FILES or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "cover_image" or v}
        fields["slug"] = fields.get("slug") or topic.slug
        topic.refresh_from_db()  # the form wrote onto the instance; the service decides
        try:
            services.topic_update(topic=topic, by=request.user, **fields)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect(topic)
    curators = selectors.topic_curators(topic=topic)
    return render(
        request,
        "topics/topic_form.html",
        {
            "form": form,
            "topic": topic,
            "curators": curators,
            "curator_form": CuratorForm(),
            "is_owner": is_owner(request.user, topic),
        },
    )


@login_required
@require_POST
def topic_delete(request, slug):
    topic = _topic(slug)
    services.topic_delete(topic=topic, by=request.user)
    messages.success(request, _("Topic deleted."))
    return redirect("topics:directory")


@login_required
@require_POST
def curator_add(request, slug):
    topic = _topic(slug)
    form = CuratorForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            messages.error(request, _("No user has that username."))
        else:
            services.curator_add(
                topic=topic, by=request.user, user=user, role=form.cleaned_data["role"]
            )
            messages.success(request, _("%(name)s now curates this topic.") % {"name": user.name})
    return redirect("topics:edit", slug=topic.slug)


@login_required
@require_POST
def curator_remove(request, slug, username):
    topic = _topic(slug)
    user = get_object_or_404(User, username=username)
    try:
        services.curator_remove(topic=topic, by=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("topics:edit", slug=topic.slug)


# --- scoops ---------------------------------------------------------------------------------


@login_required
def scoop_add(request, slug):
    topic = _topic(slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied
    form = ScoopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scoop = services.scoop_create(
                topic=topic, by=request.user, **form.service_kwargs(), **form.publish_kwargs()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Scoop saved."))
            return redirect(scoop if scoop.is_published else topic)
    return render(request, "topics/scoop_form.html", {"form": form, "topic": topic, "post": None})


def _post(slug, post_id) -> Scoop:
    return get_object_or_404(Scoop.objects.select_related("topic"), topic__slug=slug, pk=post_id)


@login_required
def scoop_edit(request, slug, post_id):
    post = _post(slug, post_id)
    if not is_curator(request.user, post.topic):
        raise PermissionDenied
    initial = {
        "title": post.title,
        "url": post.source_url,
        "image_url": post.image_url,
        "image_alt": post.image_alt,
        "insight": post.insight_markdown,
        "pinned": post.pinned,
        "content_warning": post.content_warning,
        "tags": ", ".join(t.name for t in post.tags.all()),
        "excerpt": _html_to_paragraph_text(post.excerpt_html),
        "publish": {"draft": "draft", "scheduled": "schedule"}.get(post.status, "now"),
        "publish_at": post.published_at if post.status == "scheduled" else None,
    }
    form = ScoopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if form.cleaned_data["excerpt"] == initial["excerpt"]:
            kwargs.pop("excerpt_html")  # keep the stored HTML (lists, links) when untouched
        try:
            services.scoop_update(scoop=post, by=request.user, **kwargs, **form.publish_kwargs())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Scoop saved."))
            return redirect(post if post.is_published else post.topic)
    return render(
        request, "topics/scoop_form.html", {"form": form, "topic": post.topic, "post": post}
    )


def _html_to_paragraph_text(fragment: str) -> str:
    import re

    from veille.core.sanitize import html_to_text

    paragraphs = re.split(r"</p>|<br\s*/?>|</li>", fragment or "")
    return "\n\n".join(t for t in (html_to_text(p) for p in paragraphs) if t)


@login_required
@require_POST
def scoop_delete(request, slug, post_id):
    post = _post(slug, post_id)
    topic = post.topic
    services.scoop_delete(scoop=post, by=request.user)
    messages.success(request, _("Scoop deleted."))
    return redirect(topic)


@login_required
@require_POST
def scoop_pin(request, slug, post_id):
    post = _post(slug, post_id)
    services.scoop_set_pinned(scoop=post, by=request.user, pinned=not post.pinned)
    return redirect(post.topic)


@login_required
@require_POST
def rescoop(request, slug, post_id):
    post = _post(slug, post_id)
    form = RescoopForm(request.POST, topics=selectors.topics_curated_by(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your topics."))
        return redirect(post)
    try:
        new = services.rescoop_create(
            origin=post,
            topic=form.cleaned_data["topic"],
            by=request.user,
            insight=form.cleaned_data["insight"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(post)
    messages.success(request, _("Rescooped into %(topic)s.") % {"topic": new.topic.title})
    return redirect(new)


# --- readers --------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request, slug, post_id):
    post = _post(slug, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(scoop=post, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write something first."))
    return redirect(f"{post.get_absolute_url()}#comments")


@login_required
@require_POST
def comment_moderate(request, slug, post_id, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("scoop__topic"),
        pk=comment_id,
        scoop_id=post_id,
        scoop__topic__slug=slug,
    )
    action = request.POST.get("action")
    if action == "delete":
        services.comment_delete(comment=comment, by=request.user)
    elif action in {"hide", "show"}:
        services.comment_set_hidden(comment=comment, by=request.user, hidden=action == "hide")
    return redirect(f"{comment.scoop.get_absolute_url()}#comments")


@require_POST
def thanks(request, slug, post_id):
    post = _post(slug, post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    thanked = services.thanks_toggle(scoop=post, by=request.user)
    if request.htmx:
        post.refresh_from_db(fields=["thanks_count"])
        post.thanked_by_viewer = thanked
        return render(request, "topics/_thanks.html", {"post": post})
    return redirect(_safe_next(request) or post.get_absolute_url())


def _safe_next(request) -> str | None:
    """The form's "next" address, when it stays on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@require_POST
def follow(request, slug):
    topic = _topic(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    following = services.follow_toggle(topic=topic, by=request.user)
    if request.htmx:
        topic.refresh_from_db(fields=["follower_count"])
        return render(request, "topics/_follow.html", {"topic": topic, "following": following})
    return redirect(topic)


def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
