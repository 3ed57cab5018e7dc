from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve as serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("veille.accounts.urls")),
    path("", include("veille.publishing.urls")),
    path("", include("veille.capture.urls")),
    path("", include("veille.topics.urls")),
    # Media are ours (uploads, thumbnails): served by Django here, by the proxy at scale.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve_media,
        {"document_root": settings.MEDIA_ROOT},
    ),
]
