import pytest
from django.urls import reverse

from veille.accounts.models import User
from veille.topics.models import Comment, Follow, Scoop, Tag, Thanks, Topic


@pytest.fixture
def operator(client, db):
    admin = User.objects.create_superuser("operator", "operator@example.org", "an admin pass")
    client.force_login(admin)
    return admin


def test_admin_index_loads_for_a_superuser(client, operator):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:topics_scoop_changelist") in response.content.decode()


@pytest.mark.parametrize("model", [User, Topic, Scoop, Comment, Follow, Thanks, Tag])
def test_admin_lists_and_pages_load(client, operator, make_scoop, model):
    scoop = make_scoop("An admin test scoop", tags=["reseau"])
    Comment.objects.create(scoop=scoop, author=operator, body_markdown="hi", body_html="<p>hi</p>")
    Follow.objects.create(topic=scoop.topic, user=operator)
    Thanks.objects.create(scoop=scoop, user=operator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    obj = model.objects.first()
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_admin_scoop_search_finds_by_title(client, operator, make_scoop):
    make_scoop("Cantine numérique")
    make_scoop("Something else")
    response = client.get(reverse("admin:topics_scoop_changelist"), {"q": "cantine"})
    assert "Cantine numérique" in response.content.decode()
    assert "Something else" not in response.content.decode()


def test_deleting_a_scoop_in_the_admin_refreshes_the_topic_counter(client, operator, make_scoop):
    scoop = make_scoop()
    make_scoop()
    client.post(reverse("admin:topics_scoop_delete", args=[scoop.pk]), {"post": "yes"})
    assert Topic.objects.get(pk=scoop.topic_id).scoop_count == 1


def test_deleting_a_comment_in_the_admin_refreshes_the_scoop_counter(client, operator, make_scoop):
    from veille.topics import services

    scoop = make_scoop()
    comment = services.comment_create(scoop=scoop, by=operator, body="Nice find")
    client.post(reverse("admin:topics_comment_delete", args=[comment.pk]), {"post": "yes"})
    assert Scoop.objects.get(pk=scoop.pk).comment_count == 0


def test_admin_action_removes_an_avatar(client, operator, make_user, image_upload):
    from veille.accounts import services

    user = services.profile_update(user=make_user("marie"), avatar=image_upload())
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_avatars", "_selected_action": [user.pk]},
    )
    user.refresh_from_db()
    assert not user.avatar
