"""Forms parse input; the services decide. Error messages are translatable."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veille.accounts import selectors, services


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names, else above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class UsernameField(forms.CharField):
    """Names are stored lower-cased: "Alice" signs up as "alice"."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()


class SignupForm(ServiceErrorsMixin, forms.Form):
    username = UsernameField(
        label=_("Username"),
        max_length=30,
        help_text=services.USERNAME_HELP,
        validators=[services.validate_username_syntax],
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Only used to reset your password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("Optional: how your name is shown, such as “Jacques Le Bris”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, not at import, so that it comes in the visitor's language.
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password2")
            and (data["password"] != data["password2"])
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password"],
            "display_name": data["display_name"],
        }


class LoginForm(AuthenticationForm):
    def clean_username(self):
        return selectors.login_username(self.cleaned_data["username"])


class ProfileForm(ServiceErrorsMixin, forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A PNG, JPEG, GIF or WebP picture, at most 2 MB and 4000 × 4000 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "bio": data["bio"],
            "email": data["email"],
            "avatar": data["avatar"] or None,
            "remove_avatar": data["remove_avatar"],
        }
