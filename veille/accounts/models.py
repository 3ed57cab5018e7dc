from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: curator, commenter, follower.

    Accounts created by an import for people named on a page (other curators of a Scoop.it topic)
    have no usable password and ``is_placeholder`` set until someone claims them.
    """

    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    is_placeholder = models.BooleanField(default=False)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:profile", args=[self.username])
