"""The inboxes: verify, store, answer 202; a task handles the message (DESIGN.md).

Checks run cheapest first, and a refused request leaves nothing stored: size (413), rate per
remote host and sending address (429), JSON (400), blocklists (403), HTTP signature and digest
(401), signer is the activity's actor (401). An activity already stored is answered 202 again
without being stored or handled twice: senders retry what timed out, and a replayed copy must not
count a like twice; 202 tells them to stop.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from veille.core.ratelimit import RateLimited, hit_rate_limit
from veille.core.request import client_address
from veille.federation import blocks, remote, signatures
from veille.federation.models import InboxMessage, RemoteActor
from veille.federation.payloads import host_of, id_of, type_of
from veille.topics.models import Topic

DEFAULT_MAX_BYTES = 1024 * 1024
KEY_ID = re.compile(r'keyid="([^"]+)"', re.IGNORECASE)


class Refused(Exception):
    def __init__(self, status: int, reason: str, *, retry_after: int | None = None):
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


def _max_bytes() -> int:
    return int(getattr(settings, "FEDERATION_INBOX_MAX_BYTES", DEFAULT_MAX_BYTES))


def _body(request) -> bytes:
    """The body, read no further than the cap (a missing Content-Length is no way around it)."""
    limit = _max_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise Refused(413, "the activity is too large")
    body = request.read(limit + 1)
    if len(body) > limit:
        raise Refused(413, "the activity is too large")
    return body


def _claimed_key_id(request) -> str:
    """The keyId the request claims (draft-cavage Signature, or RFC 9421 Signature-Input)."""
    for header in ("Signature", "Signature-Input"):
        match = KEY_ID.search(request.headers.get(header, ""))
        if match:
            return match.group(1)
    return ""


def _rate_limit(request, key_id: str) -> None:
    """Counted per claimed host and sending address: a forger naming another host's key only
    spends its own allowance, not that host's."""
    try:
        hit_rate_limit("federation_inbox", f"{host_of(key_id)}@{client_address(request)}")
    except RateLimited as error:
        message = f"too many activities, retry after {error.retry_after}s"
        raise Refused(429, message, retry_after=error.retry_after) from error


def _activity(body: bytes) -> dict:
    try:
        activity = json.loads(body)
    except ValueError as error:
        raise Refused(400, "the body is not JSON") from error
    if not isinstance(activity, dict) or not type_of(activity) or not id_of(activity.get("actor")):
        raise Refused(400, "not an activity: it needs a type and an actor")
    return activity


def _refuse_blocked(activity: dict, key_id: str) -> None:
    for uri in (id_of(activity.get("actor")), key_id):
        if uri and blocks.is_blocked(uri):
            raise Refused(403, "this server or account is blocked here")


def _deletes_unknown_actor(activity: dict) -> bool:
    """A Delete of an actor we never knew: nothing to remove (Mastodon sends these widely)."""
    actor_uri = id_of(activity.get("actor"))
    return (
        type_of(activity) == "Delete"
        and id_of(activity.get("object")) == actor_uri
        and not RemoteActor.objects.filter(uri=actor_uri).exists()
    )


def _verify(request, body: bytes, activity: dict) -> signatures.VerifiedRequest:
    try:
        verified = signatures.verify_request(
            method=request.method,
            path=request.get_full_path(),
            headers=request.headers,
            body=body,
            get_public_key=remote.public_key_pem,
        )
    except signatures.SignatureError as error:
        raise Refused(401, f"signature refused ({error.code}): {error}") from error
    signer = RemoteActor.objects.filter(key_id=verified.key_id).first()
    if signer is None or signer.uri != id_of(activity.get("actor")):
        raise Refused(401, "the request is not signed by the activity's actor")
    return verified


def _activity_id(activity: dict, body: bytes) -> str:
    """The activity's id; an activity without one is known by its body's digest."""
    activity_id = id_of(activity)
    if activity_id:
        if host_of(activity_id) != host_of(id_of(activity.get("actor"))):
            raise Refused(401, "the activity's id is not on its actor's server")
        return activity_id[:2000]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _store(activity: dict, activity_id: str, key_id: str) -> bool:
    """Store the message and queue its handling; False when it was already stored (replay)."""
    from veille.federation.tasks import process_inbox_message

    if InboxMessage.objects.filter(activity_id=activity_id).exists():
        return False
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                activity_id=activity_id,
                activity_type=type_of(activity)[:60],
                actor_uri=id_of(activity.get("actor"))[:2000],
                payload=activity,
                key_id=key_id[:2000],
            )
            transaction.on_commit(lambda: process_inbox_message(message.pk))
    except IntegrityError:
        return False  # the same activity, stored by a concurrent request
    return True


def _receive(request) -> HttpResponse:
    body = _body(request)
    key_id = _claimed_key_id(request)
    _rate_limit(request, key_id)
    activity = _activity(body)
    _refuse_blocked(activity, key_id)
    if _deletes_unknown_actor(activity):
        return HttpResponse(status=202)
    verified = _verify(request, body, activity)
    _store(activity, _activity_id(activity, body), verified.key_id)
    return HttpResponse(status=202)


def _answer(request) -> HttpResponse:
    try:
        return _receive(request)
    except Refused as refused:
        response = JsonResponse({"error": str(refused)}, status=refused.status)
        if refused.retry_after is not None:
            response["Retry-After"] = str(refused.retry_after)
        return response


@csrf_exempt
@require_POST
def shared_inbox(request):
    return _answer(request)


@csrf_exempt
@require_POST
def topic_inbox(request, slug: str):
    get_object_or_404(Topic, slug=slug)
    return _answer(request)


@csrf_exempt
@require_POST
def user_inbox(request, username: str):
    from veille.accounts.models import User

    if not User.objects.filter(username__iexact=username, is_active=True).exists():
        raise Http404
    return _answer(request)
