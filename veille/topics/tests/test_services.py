import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from veille.topics import services
from veille.topics.models import Role, Scoop, ScoopStatus


def test_topic_creator_becomes_its_owner(topic, curator):
    assert topic.curators.get().user == curator
    assert topic.curators.get().role == Role.OWNER


def test_topic_slug_must_be_unique_and_not_reserved(topic, make_user):
    other = make_user()
    with pytest.raises(ValidationError):
        services.topic_create(by=other, title="Again", slug="toulouse-networks")
    with pytest.raises(ValidationError):
        services.topic_create(by=other, title="New", slug="new")


def test_only_curators_edit_a_topic(topic, make_user):
    with pytest.raises(PermissionDenied):
        services.topic_update(topic=topic, by=make_user(), title="Hijacked")


def test_editor_can_edit_but_not_delete_or_rename(topic, curator, make_user):
    editor = make_user()
    services.curator_add(topic=topic, by=curator, user=editor, role=Role.EDITOR)
    services.topic_update(topic=topic, by=editor, subtitle="Edited")
    with pytest.raises(PermissionDenied):
        services.topic_update(topic=topic, by=editor, slug="elsewhere")
    with pytest.raises(PermissionDenied):
        services.topic_delete(topic=topic, by=editor)


def test_last_owner_cannot_be_removed(topic, curator):
    with pytest.raises(ValidationError):
        services.curator_remove(topic=topic, by=curator, user=curator)


def test_scoop_html_is_sanitized_and_insight_rendered(topic, curator):
    scoop = services.scoop_create(
        topic=topic,
        by=curator,
        title="T",
        excerpt_html='<p onclick="x()">Hi<script>alert(1)</script></p>',
        insight="**Bold** <img src=x onerror=alert(1)>",
    )
    assert scoop.excerpt_html == "<p>Hi</p>"
    assert "<strong>Bold</strong>" in scoop.insight_html
    assert "<img" not in scoop.insight_html  # raw HTML in Markdown stays text


def test_non_curator_cannot_add_a_scoop(topic, make_user):
    with pytest.raises(PermissionDenied):
        services.scoop_create(topic=topic, by=make_user(), title="Spam")


def test_draft_is_not_counted_until_published(topic, curator):
    scoop = services.scoop_create(topic=topic, by=curator, title="Draft", draft=True)
    topic.refresh_from_db()
    assert (scoop.status, topic.scoop_count) == (ScoopStatus.DRAFT, 0)
    services.scoop_update(scoop=scoop, by=curator, draft=False)
    topic.refresh_from_db()
    assert topic.scoop_count == 1


def test_scheduled_scoop_is_published_when_due(topic, curator):
    later = timezone.now() + dt.timedelta(hours=1)
    scoop = services.scoop_create(topic=topic, by=curator, title="Later", publish_at=later)
    assert scoop.status == ScoopStatus.SCHEDULED
    assert services.scoops_publish_due() == 0
    assert services.scoops_publish_due(now=later + dt.timedelta(seconds=1)) == 1
    scoop.refresh_from_db()
    assert scoop.status == ScoopStatus.PUBLISHED


def test_tags_are_deduplicated_and_slugged(topic, curator):
    scoop = services.scoop_create(
        topic=topic, by=curator, title="T", tags=["Mastodon", "#mastodon", "Réseaux sociaux"]
    )
    assert sorted(t.slug for t in scoop.tags.all()) == ["mastodon", "reseaux-sociaux"]


def test_rescoop_keeps_credit_to_the_first_curator(topic, curator, make_user):
    first = services.scoop_create(topic=topic, by=curator, title="Origin")
    second_user, third_user = make_user(), make_user()
    second_topic = services.topic_create(by=second_user, title="Second")
    third_topic = services.topic_create(by=third_user, title="Third")
    second = services.rescoop_create(
        origin=first, topic=second_topic, by=second_user, insight="Mine"
    )
    third = services.rescoop_create(origin=second, topic=third_topic, by=third_user)
    assert second.origin == first and second.root == first
    assert third.origin == second and third.root == first
    assert third.root.curator == curator
    assert second.insight_html == "<p>Mine</p>"


def test_rescoop_into_a_topic_one_does_not_curate_is_refused(topic, make_scoop, make_user):
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        services.rescoop_create(origin=make_scoop(), topic=topic, by=stranger)


def test_rescoop_twice_into_the_same_topic_is_refused(make_scoop, make_user):
    user = make_user()
    mine = services.topic_create(by=user, title="Mine")
    origin = make_scoop()
    services.rescoop_create(origin=origin, topic=mine, by=user)
    with pytest.raises(ValidationError):
        services.rescoop_create(origin=origin, topic=mine, by=user)


def test_anonymous_cannot_comment(make_scoop):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.comment_create(scoop=make_scoop(), by=AnonymousUser(), body="hi")


def test_comments_are_rate_limited(make_scoop, make_user, settings):
    settings.COMMENT_RATE_LIMIT = "2/60"
    scoop, reader = make_scoop(), make_user()
    services.comment_create(scoop=scoop, by=reader, body="one")
    services.comment_create(scoop=scoop, by=reader, body="two")
    with pytest.raises(ValidationError, match="too fast"):
        services.comment_create(scoop=scoop, by=reader, body="three")
    scoop.refresh_from_db()
    assert scoop.comment_count == 2


def test_curator_hides_and_deletes_comments_others_cannot(make_scoop, make_user, curator):
    scoop, reader, other = make_scoop(), make_user(), make_user()
    comment = services.comment_create(scoop=scoop, by=reader, body="hello")
    with pytest.raises(PermissionDenied):
        services.comment_set_hidden(comment=comment, by=other, hidden=True)
    services.comment_set_hidden(comment=comment, by=curator, hidden=True)
    scoop.refresh_from_db()
    assert scoop.comment_count == 0
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, by=other)
    services.comment_delete(comment=comment, by=curator)
    assert not scoop.comments.exists()


def test_thanks_is_one_per_user_and_toggles(make_scoop, make_user):
    scoop, reader = make_scoop(), make_user()
    assert services.thanks_toggle(scoop=scoop, by=reader) is True
    scoop.refresh_from_db()
    assert scoop.thanks_count == 1
    assert services.thanks_toggle(scoop=scoop, by=reader) is False
    scoop.refresh_from_db()
    assert scoop.thanks_count == 0


def test_follow_counts_followers(topic, make_user):
    a, b = make_user(), make_user()
    services.follow_toggle(topic=topic, by=a)
    services.follow_toggle(topic=topic, by=b)
    topic.refresh_from_db()
    assert topic.follower_count == 2
    services.follow_toggle(topic=topic, by=a)
    topic.refresh_from_db()
    assert topic.follower_count == 1


def test_deleting_a_scoop_updates_the_topic_count(make_scoop, topic, curator):
    scoop = make_scoop()
    make_scoop()
    services.scoop_delete(scoop=scoop, by=curator)
    topic.refresh_from_db()
    assert topic.scoop_count == 1
    assert not Scoop.objects.filter(pk=scoop.pk).exists()


def test_topic_slug_cannot_take_a_username(make_user):
    owner = make_user("marie")
    with pytest.raises(ValidationError):
        services.topic_create(by=owner, title="Marie")


def test_a_url_already_in_the_topic_is_refused_with_a_link_to_it(topic, curator):
    first = services.scoop_create(
        topic=topic, by=curator, title="A", url="https://Example.org/a?utm_source=x#top"
    )
    assert first.source_url == "https://example.org/a"
    with pytest.raises(services.DuplicateScoop) as refused:
        services.scoop_create(topic=topic, by=curator, title="B", url="https://example.org/a")
    assert refused.value.existing == first
    assert first.get_absolute_url() in str(refused.value)


def test_the_same_url_may_be_scooped_in_another_topic(topic, curator):
    other = services.topic_create(by=curator, title="Other")
    services.scoop_create(topic=topic, by=curator, title="A", url="https://example.org/a")
    services.scoop_create(topic=other, by=curator, title="A", url="https://example.org/a")


def test_a_non_web_url_is_refused(topic, curator):
    with pytest.raises(ValidationError):
        services.scoop_create(topic=topic, by=curator, title="A", url="javascript:alert(1)")


def test_cover_image_is_reencoded_and_bad_files_refused(topic, curator, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 800), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")
    services.topic_update(topic=topic, by=curator, cover_image=upload)
    topic.refresh_from_db()
    assert topic.cover_image.name.startswith("covers/") and topic.cover_image.name.endswith(".webp")
    assert Image.open(topic.cover_image.path).size == (1600, 533)
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.topic_update(topic=topic, by=curator, cover_image=fake)


def _followed_from_the_fediverse(topic, state="accepted"):
    from veille.federation.models import Follower, RemoteActor

    actor = RemoteActor.objects.create(
        uri="https://masto.example/users/a",
        domain="masto.example",
        username="a",
        inbox="https://masto.example/users/a/inbox",
    )
    return Follower.objects.create(topic=topic, actor=actor, state=state)


def test_a_topic_followed_from_the_fediverse_keeps_its_address(topic, curator):
    _followed_from_the_fediverse(topic)
    with pytest.raises(ValidationError) as error:
        services.topic_update(topic=topic, by=curator, slug="toulouse-reseaux")
    assert error.value.message_dict["slug"] == [
        "This topic has followers on the fediverse; its address can no longer change."
    ]
    topic.refresh_from_db()
    assert topic.slug == "toulouse-networks"
    # The other settings, and the same address spelt differently, are still accepted.
    services.topic_update(topic=topic, by=curator, slug="Toulouse-Networks", title="Renamed")
    topic.refresh_from_db()
    assert (topic.slug, topic.title) == ("toulouse-networks", "Renamed")


@pytest.mark.parametrize("state", ["pending", "rejected", None])
def test_a_topic_without_accepted_followers_may_change_its_address(topic, curator, state):
    if state:
        _followed_from_the_fediverse(topic, state=state)
    services.topic_update(topic=topic, by=curator, slug="toulouse-reseaux")
    topic.refresh_from_db()
    assert topic.slug == "toulouse-reseaux"


def test_content_warning_is_set_edited_and_sent_as_the_note_summary(topic, curator):
    from veille.federation.models import OutboxActivity

    _followed_from_the_fediverse(topic)
    scoop = services.scoop_create(
        topic=topic, by=curator, title="A", content_warning="  Violence,\n police  "
    )
    assert scoop.content_warning == "Violence, police"  # one line, as a summary shows it
    services.scoop_update(scoop=scoop, by=curator, content_warning="Violence")
    update = OutboxActivity.objects.get(activity_type="Update").activity
    assert (update["object"]["sensitive"], update["object"]["summary"]) == (True, "Violence")

    services.scoop_update(scoop=scoop, by=curator, content_warning="")
    scoop.refresh_from_db()
    assert scoop.content_warning == ""
    with pytest.raises(ValidationError):
        services.scoop_update(scoop=scoop, by=curator, content_warning="x" * 201)
