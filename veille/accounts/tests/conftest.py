import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def image_upload():
    def make(size=(40, 30), mode="RGB", fmt="PNG", name="me.png", color=(200, 30, 30)):
        out = io.BytesIO()
        Image.new(mode, size, color).save(out, fmt)
        return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")

    return make
