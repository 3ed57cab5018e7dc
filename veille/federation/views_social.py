"""Pages of federation: a user's fediverse page, a topic's fediverse followers; our activities.

Views parse input and call services; the services check permissions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from veille.federation import followers, selectors, services
from veille.federation.forms import FollowRemoteForm, ReplyForm
from veille.federation.models import Follower, OutboxActivity, RemoteActor, RemotePost
from veille.federation.payloads import ACTIVITY_JSON, is_public
from veille.topics.models import Topic
from veille.topics.permissions import is_curator


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


# --- a user's fediverse page ------------------------------------------------------------------


def _fediverse_page(request, *, follow_form=None, reply_form=None, reply_to=None):
    context = {
        "follow_form": follow_form or FollowRemoteForm(),
        "following": selectors.following_of(user=request.user),
        "page": selectors.remote_posts_page(user=request.user, page=_page_number(request)),
        "reply_form": reply_form,
        "reply_to": reply_to,
    }
    return render(request, "federation/fediverse.html", context)


@login_required
@require_GET
def fediverse(request):
    return _fediverse_page(request)


@login_required
@require_POST
def follow(request):
    form = FollowRemoteForm(request.POST)
    if form.is_valid():
        try:
            following = services.follow_remote(
                user=request.user, handle=form.cleaned_data["handle"]
            )
        except ValidationError as error:
            form.add_error(None, error)  # the services name the form's fields
        else:
            messages.success(request, _("Follow request sent to %s.") % following.actor.handle)
            return redirect("federation:fediverse")
    return _fediverse_page(request, follow_form=form)


@login_required
@require_POST
def unfollow(request, actor_id: int):
    actor = get_object_or_404(RemoteActor, pk=actor_id)
    if services.unfollow_remote(user=request.user, actor=actor):
        messages.success(request, _("You no longer follow %s.") % actor.handle)
    return redirect("federation:fediverse")


def _post(pk: int) -> RemotePost:
    return get_object_or_404(RemotePost.objects.select_related("actor"), pk=pk)


@login_required
@require_POST
def like(request, post_id: int):
    services.like_remote(user=request.user, post=_post(post_id))
    return redirect(f"{reverse('federation:fediverse')}#post-{post_id}")


@login_required
@require_POST
def reply(request, post_id: int):
    post, form = _post(post_id), ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_remote(user=request.user, post=post, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)  # the services name the form's fields
        else:
            messages.success(request, _("Reply sent."))
            return redirect("federation:fediverse")
    return _fediverse_page(request, reply_form=form, reply_to=post.pk)


# --- a topic's fediverse followers ------------------------------------------------------------


def _curated_topic(request, slug: str) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied(_("Only the curators of this topic can see its followers."))
    return topic


@login_required
@require_GET
def topic_followers(request, slug: str):
    topic = _curated_topic(request, slug)
    page = selectors.topic_followers_page(topic=topic, page=_page_number(request))
    return render(request, "federation/followers.html", {"topic": topic, "page": page})


FOLLOWER_ACTIONS = {
    "approve": (followers.follower_approve, gettext_lazy("%s now follows the topic.")),
    "reject": (followers.follower_reject, gettext_lazy("%s no longer follows the topic.")),
}


@login_required
@require_POST
def follower_action(request, slug: str, follower_id: int):
    topic = _curated_topic(request, slug)
    follower = get_object_or_404(
        Follower.objects.select_related("actor", "topic"), pk=follower_id, topic=topic
    )
    action, message = FOLLOWER_ACTIONS.get(request.POST.get("action"), (None, ""))
    if action is None:
        raise Http404
    action(follower=follower, by=request.user)
    messages.success(request, str(message) % follower.actor.handle)
    return redirect("federation:topic_followers", slug=topic.slug)


# --- our activities, for servers that fetch them ----------------------------------------------


def _public_activity(pk) -> dict:
    activity = get_object_or_404(OutboxActivity, pk=pk).activity
    if not is_public(activity, activity.get("object")):
        raise Http404  # addressed to some people only: not served to anyone who asks
    return activity


@require_GET
def activity(request, pk):
    return JsonResponse(_public_activity(pk), content_type=ACTIVITY_JSON)


@require_GET
def activity_object(request, pk):
    obj = _public_activity(pk).get("object")
    if not isinstance(obj, dict):
        raise Http404
    return JsonResponse(obj, content_type=ACTIVITY_JSON)
