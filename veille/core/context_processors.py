from django.conf import settings


def site(request):
    """Values every page template needs."""
    return {"BASE_URL": settings.BASE_URL, "SIGNUP_OPEN": settings.SIGNUP_OPEN}
