"""Writes for accounts: sign-up and profile edits.

Functions take keyword arguments and check their own rules (views only parse input). Avatars are
decoded and re-encoded here, so that a file uploaded by a user is never served as it came.
"""

from __future__ import annotations

import io
import re
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from veille.accounts.models import User
from veille.core.ratelimit import hit_rate_limit
from veille.topics.models import Topic
from veille.topics.services import RESERVED_SLUGS

# Usernames appear in URLs (/u/<username>/) and, with federation, share one namespace with topic
# slugs (@name@host): slug-like, lower-case ASCII, at most 30 characters like Mastodon's.
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{1,29}")
USERNAME_HELP = gettext_lazy(
    "2 to 30 characters: lower-case letters, digits, - and _. It appears in your profile's address."
)
RESERVED_USERNAMES = RESERVED_SLUGS | {
    "about",
    "administrator",
    "anonymous",
    "help",
    "home",
    "login",
    "logout",
    "me",
    "nobody",
    "root",
    "settings",
    "signup",
    "staff",
    "support",
    "topic",
    "topics",
    "veille",
    "webmaster",
    "well-known",
    "www",
}

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_SIDE = 4000
AVATAR_SIZE = (256, 256)
# Only common web formats: every other Pillow decoder is attack surface for no use.
AVATAR_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


# --- sign-up --------------------------------------------------------------------------------


def validate_username_syntax(username: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        raise ValidationError(
            _(
                "Use 2 to 30 characters, starting with a letter or a digit: letters, digits, "
                "- and _ only, without spaces or accents."
            ),
            code="invalid",
        )


def _check_username(username: str) -> None:
    try:
        validate_username_syntax(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if username in RESERVED_USERNAMES or Topic.objects.filter(slug=username).exists():
        raise ValidationError({"username": _("This username is not available.")})
    # Older accounts (operators, imports) may have capitals: "Alice" still takes "alice".
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def _clean_field(user: User, name: str, value):
    """The model field's own checks (length, e-mail syntax), keyed by field for the form."""
    try:
        return User._meta.get_field(name).clean(value, user)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error


@transaction.atomic
def user_signup(
    *, username: str, email: str, password: str, address: str, display_name: str = ""
) -> User:
    """Create an account. ``address`` is the client's, for the rate limit.

    Raises ValidationError (keyed by field), PermissionDenied when sign-ups are closed, and
    veille.core.ratelimit.RateLimited when ``address`` created too many accounts lately. Only
    requests that would create an account count towards the limit.
    """
    if not settings.SIGNUP_OPEN:
        raise PermissionDenied(_("Sign-ups are closed on this site."))
    username = username.strip().lower()
    _check_username(username)
    user = User(username=username, email=User.objects.normalize_email(email.strip()))
    if not _clean_field(user, "email", user.email):
        raise ValidationError({"email": _("An e-mail address is needed to reset your password.")})
    user.display_name = _clean_field(user, "display_name", display_name.strip())
    _check_password(password, user)
    hit_rate_limit("signup", address)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same name, taken between the check and the insert
        raise ValidationError({"username": _("This username is already taken.")}) from error
    return user


# --- profile --------------------------------------------------------------------------------


def _open_image(upload) -> Image.Image:
    too_large = ValidationError(
        {
            "avatar": _("The image is too large: at most %(side)d × %(side)d pixels.")
            % {"side": AVATAR_MAX_SIDE}
        }
    )
    not_image = ValidationError({"avatar": _("This file is not a PNG, JPEG, GIF or WebP image.")})
    upload.seek(0)
    try:
        image = Image.open(upload, formats=AVATAR_FORMATS)
    except Image.DecompressionBombError as error:
        raise too_large from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_image from error
    # Image.open only read the header: refuse big pictures before decoding a single pixel.
    if max(image.size) > AVATAR_MAX_SIDE:
        raise too_large
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise not_image from error
    return image


def avatar_thumbnail(upload) -> ContentFile:
    """A 256×256 re-encoding of an uploaded picture: PNG when it has transparency, else JPEG."""
    if upload.size > AVATAR_MAX_BYTES:
        raise ValidationError({"avatar": _("The image is too heavy: at most 2 MB.")})
    image = ImageOps.exif_transpose(_open_image(upload))
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    image = ImageOps.fit(image, AVATAR_SIZE, method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if transparent:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=85, optimize=True)
    extension = "png" if transparent else "jpg"
    # A new name on every change: browsers and proxies never show a stale cached picture.
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.{extension}")


def _replace_avatar(user: User, thumbnail: ContentFile | None) -> None:
    old_name = user.avatar.name
    if thumbnail is not None:
        user.avatar.save(f"{user.pk}-{thumbnail.name}", thumbnail, save=False)
    else:
        user.avatar = ""
    if old_name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    email: str | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> User:
    """Change what ``user`` shows of themselves; None leaves a field as it is.

    Everything is checked before anything changes, so that a refused edit leaves ``user`` (often
    ``request.user``, still used to render the page) untouched.
    """
    changes = {}
    if display_name is not None:
        changes["display_name"] = _clean_field(user, "display_name", display_name.strip())
    if bio is not None:
        changes["bio"] = _clean_field(user, "bio", bio.strip())
    if email is not None:
        changes["email"] = _clean_field(user, "email", User.objects.normalize_email(email.strip()))
    thumbnail = avatar_thumbnail(avatar) if avatar is not None else None
    for name, value in changes.items():
        setattr(user, name, value)
    if thumbnail is not None or (remove_avatar and user.avatar):
        _replace_avatar(user, thumbnail)
    user.save()
    return user
