import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from veille.topics import services as topic_services

SETTINGS = reverse("accounts:settings")


def profile_url(user):
    return reverse("accounts:profile", args=[user.username])


def curate(user, count, make_scoop):
    for n in range(count):
        topic = topic_services.topic_create(
            by=user, title=f"Field notes {n}", slug=f"{user.username}-notes-{n}"
        )
        make_scoop(f"Scoop in notes {n}", in_topic=topic, by=user)


def test_profile_shows_topics_and_recent_scoops(client, curator, topic, make_scoop):
    curator.bio = "Networks & people in Toulouse."
    curator.save()
    make_scoop("Meetup at La Cantine")
    make_scoop("A draft nobody sees", draft=True)
    html = client.get(profile_url(curator)).content.decode()
    assert "Jacques Le Bris" in html
    assert "Networks &amp; people in Toulouse." in html
    assert f'href="{topic.get_absolute_url()}"' in html
    assert "Meetup at La Cantine" in html
    assert "A draft nobody sees" not in html


def test_profile_lists_the_ten_latest_scoops(client, curator, make_scoop):
    for n in range(12):
        make_scoop(f"Numbered scoop {n:02d}")
    html = client.get(profile_url(curator)).content.decode()
    assert "Numbered scoop 11" in html
    assert "Numbered scoop 02" in html
    assert "Numbered scoop 01" not in html


@pytest.mark.parametrize("count", [2, 20])
def test_profile_query_count_does_not_grow_with_topics(client, make_user, make_scoop, count):
    reference, claire = make_user(), make_user("claire")
    curate(reference, 1, make_scoop)
    curate(claire, count, make_scoop)
    with CaptureQueriesContext(connection) as one:
        client.get(profile_url(reference))
    with CaptureQueriesContext(connection) as many:
        response = client.get(profile_url(claire))
    assert response.content.decode().count("Scoop in notes") == min(count, 10)
    assert len(many) == len(one)


def test_profile_of_unknown_or_inactive_user_is_not_found(client, make_user):
    make_user("sleeper", is_active=False)
    assert client.get("/u/nobody/").status_code == 404
    assert client.get("/u/sleeper/").status_code == 404


def test_profile_address_in_another_case_redirects(client, curator):
    response = client.get("/u/JACQUES/")
    assert response.status_code == 301
    assert response["Location"] == profile_url(curator)


# --- profile settings ------------------------------------------------------------------------


def edit(**overrides):
    data = {"display_name": "Marie Curie", "bio": "Reads everything.", "email": "marie@example.net"}
    data.update(overrides)
    return data


def png_header(width, height):
    """A PNG that only claims its size: no memory is needed for the pixels it announces."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_profile_edit_requires_login(client, db):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_profile_edit_updates_the_fields(client, make_user):
    user = make_user("marie")
    client.force_login(user)
    assert client.get(SETTINGS).status_code == 200
    response = client.post(SETTINGS, edit())
    assert response["Location"] == SETTINGS
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.email) == (
        "Marie Curie",
        "Reads everything.",
        "marie@example.net",
    )


def test_profile_edit_reencodes_a_png_avatar_as_a_thumbnail(client, make_user, image_upload):
    user = make_user("marie")
    client.force_login(user)
    upload = image_upload(size=(300, 120), mode="RGBA", color=(0, 128, 0, 100))
    client.post(SETTINGS, edit(avatar=upload))
    user.refresh_from_db()
    assert user.avatar.name.startswith(f"avatars/{user.pk}-")
    with Image.open(user.avatar.path) as saved:
        assert (saved.format, saved.size, saved.mode) == ("PNG", (256, 256), "RGBA")
    assert user.avatar.read() != upload.read()
    assert f'src="{user.avatar.url}"' in client.get(profile_url(user)).content.decode()


def test_opaque_avatar_is_stored_as_jpeg(client, make_user, image_upload):
    user = make_user("marie")
    client.force_login(user)
    client.post(SETTINGS, edit(avatar=image_upload(fmt="GIF", mode="P", color=3, name="a.gif")))
    user.refresh_from_db()
    with Image.open(user.avatar.path) as saved:
        assert (saved.format, saved.size) == ("JPEG", (256, 256))


def test_profile_edit_refuses_a_file_that_is_not_an_image(client, make_user):
    user = make_user("marie")
    client.force_login(user)
    fake = SimpleUploadedFile("me.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = client.post(SETTINGS, edit(avatar=fake, display_name="Changed"))
    assert "This file is not a PNG, JPEG, GIF or WebP image." in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar
    assert user.display_name == ""


@pytest.mark.parametrize(
    "content",
    [
        png_header(5000, 5000),
        png_header(100_000, 100_000),  # past Pillow's own decompression-bomb limit
    ],
    ids=["5000px", "100000px"],
)
def test_profile_edit_refuses_an_image_with_too_many_pixels(client, make_user, content):
    user = make_user("marie")
    client.force_login(user)
    big = SimpleUploadedFile("big.png", content, content_type="image/png")
    response = client.post(SETTINGS, edit(avatar=big))
    assert "The image is too large: at most 4000 × 4000 pixels." in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_profile_edit_refuses_a_wide_real_image(client, make_user, image_upload):
    user = make_user("marie")
    client.force_login(user)
    response = client.post(SETTINGS, edit(avatar=image_upload(size=(4001, 1), mode="1", color=1)))
    assert "The image is too large" in response.content.decode()


def test_profile_edit_refuses_a_file_over_two_megabytes(client, make_user):
    user = make_user("marie")
    client.force_login(user)
    heavy = SimpleUploadedFile("big.png", b"\x89PNG" + b"\0" * (2 * 1024 * 1024))
    response = client.post(SETTINGS, edit(avatar=heavy))
    assert "The image is too heavy: at most 2 MB." in response.content.decode()


def test_profile_edit_replaces_and_removes_the_avatar_file(
    client, make_user, image_upload, django_capture_on_commit_callbacks
):
    user = make_user("marie")
    client.force_login(user)
    client.post(SETTINGS, edit(avatar=image_upload()))
    user.refresh_from_db()
    first = user.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETTINGS, edit(avatar=image_upload(color=(0, 0, 255))))
    user.refresh_from_db()
    assert user.avatar.path != first
    assert not Image.os.path.exists(first)
    second = user.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETTINGS, edit(remove_avatar="on"))
    user.refresh_from_db()
    assert not user.avatar
    assert not Image.os.path.exists(second)
