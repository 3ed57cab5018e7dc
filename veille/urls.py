from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve as serve_media


def media(request, path):
    """Our media (uploads, thumbnails): served here on one machine, by the proxy at scale.

    MEDIA_ROOT is read per request, not when the URLs load, so that it follows the settings.
    """
    return serve_media(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("veille.accounts.urls")),
    path("", include("veille.publishing.urls")),
    path("", include("veille.federation.urls")),
    path("", include("veille.capture.urls")),
    path("", include("veille.importers.urls")),
    path("", include("veille.sources.urls")),
    path("", include("veille.suggestions.urls")),
    path("", include("veille.search.urls")),
    path("api/", include("veille.api.urls")),
    path("", include("veille.topics.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media),
]
