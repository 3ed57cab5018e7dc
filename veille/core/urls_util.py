from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address of ``path``, from VEILLE_BASE_URL (feeds, e-mails, federation)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.BASE_URL}{path}"
