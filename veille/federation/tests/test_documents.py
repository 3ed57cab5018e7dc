"""The ActivityPub documents: actors, the Note of a scoop, its activities; keys and ids."""

import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import resolve

from veille.federation import documents, ids, keys
from veille.federation.models import ActorKey
from veille.topics import services
from veille.topics.models import Scoop, Topic

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
BASE = "https://veille.test"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


@pytest.fixture
def other_topic(make_user):
    marie = make_user("marie", display_name="Marie <Curie>")
    return services.topic_create(by=marie, title="Paris & networks", slug="paris-networks")


@pytest.fixture
def rich_scoop(make_scoop):
    scoop = make_scoop(
        "Fibre <reaches> Toulouse",
        url="https://news.example/fibre?id=1",
        insight="A **big** step for the city.",
        tags=["Smart city", "fibre"],
        image_alt="A trench with cables",
    )
    Scoop.objects.filter(pk=scoop.pk).update(thumbnail="thumbs/a.webp", lead_image="leads/a.webp")
    scoop.refresh_from_db()
    return scoop


def test_topic_is_a_group_actor_with_its_key_collections_and_fediverse_settings(topic):
    topic.approve_followers, topic.discoverable, topic.indexable = True, False, False
    topic.subtitle = "Networks <b>&</b> people"
    topic.cover_image = "covers/abc.webp"
    actor = documents.topic_actor(topic)
    actor_id = f"{BASE}/topic/toulouse-networks/"
    assert actor["@context"][:2] == [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
    ]
    assert (actor["id"], actor["type"], actor["url"]) == (actor_id, "Group", actor_id)
    assert (actor["preferredUsername"], actor["name"]) == ("toulouse-networks", "Toulouse networks")
    assert actor["summary"] == "<p>Networks &lt;b&gt;&amp;&lt;/b&gt; people</p>"
    assert actor["inbox"] == f"{actor_id}inbox" and actor["outbox"] == f"{actor_id}outbox"
    assert actor["followers"] == f"{actor_id}followers"
    assert actor["following"] == f"{actor_id}following"
    assert actor["featured"] == f"{actor_id}featured"
    assert actor["endpoints"] == {"sharedInbox": f"{BASE}/inbox"}
    assert actor["manuallyApprovesFollowers"] is True
    assert actor["discoverable"] is False and actor["indexable"] is False
    cover = {"type": "Image", "mediaType": "image/webp", "url": f"{BASE}/media/covers/abc.webp"}
    assert actor["icon"] == cover and actor["image"] == cover
    key = actor["publicKey"]
    assert key["id"] == f"{actor_id}#main-key" and key["owner"] == actor_id
    assert key["publicKeyPem"] == ActorKey.objects.get(topic=topic).public_key_pem


def test_topic_without_cover_has_no_icon(topic):
    actor = documents.topic_actor(topic)
    assert "icon" not in actor and "image" not in actor


def test_curator_is_a_person_with_an_escaped_bio(curator):
    curator.bio = "I <3 networks\n\nand <script>x</script>"
    actor = documents.user_actor(curator)
    assert actor["type"] == "Person" and actor["id"] == f"{BASE}/u/jacques/"
    assert actor["name"] == "Jacques Le Bris" and actor["preferredUsername"] == "jacques"
    assert (
        actor["summary"] == "<p>I &lt;3 networks</p>\n\n<p>and &lt;script&gt;x&lt;/script&gt;</p>"
    )
    assert actor["inbox"] == f"{BASE}/u/jacques/inbox"
    assert actor["publicKey"]["owner"] == actor["id"]
    assert "icon" not in actor


def test_instance_actor_is_an_application_named_after_the_host(db, settings):
    settings.BASE_URL = "https://veille.test:8443"
    actor = documents.instance_actor()
    assert actor["type"] == "Application"
    assert actor["id"] == "https://veille.test:8443/actor"
    assert actor["preferredUsername"] == "veille.test"
    assert actor["inbox"] == "https://veille.test:8443/inbox"
    assert actor["publicKey"]["id"] == "https://veille.test:8443/actor#main-key"


def test_note_shows_title_insight_source_curator_and_hashtags(rich_scoop):
    note = documents.note_for_scoop(rich_scoop)
    content = note["content"]
    assert note["type"] == "Note"
    assert note["attributedTo"] == f"{BASE}/topic/toulouse-networks/"
    assert content.startswith(
        '<p><a href="https://news.example/fibre?id=1">Fibre &lt;reaches&gt; Toulouse</a></p>'
    )
    assert "<strong>big</strong>" in content
    assert '<a href="https://news.example/fibre?id=1">news.example</a>' in content
    assert f'<a href="{BASE}/u/jacques/">Jacques Le Bris</a>' in content
    assert content.endswith(
        f'<p><a href="{BASE}/topic/toulouse-networks/" class="mention hashtag" rel="tag">'
        f'#<span>fibre</span></a> <a href="{BASE}/topic/toulouse-networks/" '
        'class="mention hashtag" rel="tag">#<span>SmartCity</span></a></p>'
    )
    assert note["tag"] == [
        {"type": "Hashtag", "href": f"{BASE}/topic/toulouse-networks/", "name": "#fibre"},
        {"type": "Hashtag", "href": f"{BASE}/topic/toulouse-networks/", "name": "#SmartCity"},
    ]
    assert note["contentMap"] == {"fr": content}
    assert note["inReplyTo"] is None and note["sensitive"] is False and "summary" not in note


def test_note_labels_are_in_the_topic_language_whatever_the_request_language(rich_scoop):
    french = documents.note_for_scoop(rich_scoop)["content"]
    assert "Scoopé par" in french and "Source\u00a0: " in french
    rich_scoop.topic.language = "en"
    english = documents.note_for_scoop(rich_scoop)["content"]
    assert "Scooped by" in english and "Source: " in english


def test_note_attaches_our_image_copy_with_its_alt_text(rich_scoop):
    [image] = documents.note_for_scoop(rich_scoop)["attachment"]
    assert image == {
        "type": "Image",
        "mediaType": "image/webp",
        "url": f"{BASE}/media/leads/a.webp",
        "name": "A trench with cables",
    }


def test_note_without_our_image_copy_has_no_attachment(make_scoop):
    scoop = make_scoop("No image", image_url="https://news.example/hotlink.jpg")
    assert documents.note_for_scoop(scoop)["attachment"] == []


def test_note_without_source_links_its_title_to_the_post_page(make_scoop):
    scoop = make_scoop("Just a thought")
    note = documents.note_for_scoop(scoop)
    assert note["content"].startswith(f'<p><a href="{note["url"]}">Just a thought</a></p>')
    assert note["url"] == f"{BASE}/topic/toulouse-networks/{scoop.pk}-just-a-thought/"


def test_note_with_content_warning_is_sensitive_with_the_warning_as_summary(make_scoop):
    scoop = make_scoop("Hard news")
    scoop.content_warning = "violence"
    note = documents.note_for_scoop(scoop)
    assert note["sensitive"] is True and note["summary"] == "violence"


@pytest.mark.parametrize(
    ("visibility", "to", "cc"),
    [
        ("public", [PUBLIC], ["followers"]),
        ("unlisted", ["followers"], [PUBLIC]),
        ("followers", ["followers"], []),
    ],
)
def test_note_and_activities_are_addressed_from_the_topic_visibility(
    make_scoop, visibility, to, cc
):
    scoop = make_scoop()
    Topic.objects.filter(pk=scoop.topic_id).update(visibility=visibility)
    scoop = Scoop.objects.select_related("topic").get(pk=scoop.pk)
    followers = f"{BASE}/topic/toulouse-networks/followers"
    expected = [[followers if a == "followers" else a for a in group] for group in (to, cc)]
    for document in (
        documents.note_for_scoop(scoop),
        documents.create_activity(scoop),
        documents.delete_activity(scoop),
    ):
        assert [document["to"], document["cc"]] == expected


def test_object_id_keeps_a_fixed_slug_so_that_title_edits_do_not_change_it(make_scoop, curator):
    scoop = make_scoop("First title")
    first = documents.note_for_scoop(scoop)["id"]
    assert first == f"{BASE}/topic/toulouse-networks/{scoop.pk}-post/"
    scoop = services.scoop_update(scoop=scoop, by=curator, title="Second title")
    assert documents.note_for_scoop(scoop)["id"] == first
    match = resolve(first.removeprefix(BASE))
    assert match.view_name == "topics:post" and match.kwargs["post_id"] == scoop.pk


def test_create_is_stable_and_embeds_the_note(rich_scoop):
    create = documents.create_activity(rich_scoop)
    assert create == documents.create_activity(rich_scoop)
    assert create["type"] == "Create" and create["id"].startswith(f"{BASE}/activities/")
    assert create["actor"] == f"{BASE}/topic/toulouse-networks/"
    assert create["object"]["id"] == ids.post_object_id(rich_scoop)
    assert "@context" not in create["object"]
    assert create["published"] == create["object"]["published"]


def test_update_carries_the_edit_date_and_delete_a_tombstone(rich_scoop):
    update = documents.update_activity(rich_scoop)
    assert update["type"] == "Update"
    assert update["object"]["updated"] == documents.iso(rich_scoop.updated_at)
    delete = documents.delete_activity(rich_scoop)
    assert delete["type"] == "Delete"
    assert delete["object"] == {
        "id": ids.post_object_id(rich_scoop),
        "type": "Tombstone",
        "formerType": "Note",
    }
    assert len({update["id"], delete["id"], documents.create_activity(rich_scoop)["id"]}) == 3


def test_rescoop_note_answers_its_origin_and_credits_the_first_curator(
    make_scoop, topic, curator, other_topic
):
    marie = other_topic.curators.get().user
    origin = make_scoop("Origin", in_topic=other_topic, by=marie, url="https://news.example/o")
    rescoop = services.rescoop_create(origin=origin, topic=topic, by=curator, insight="Mine")
    note = documents.note_for_scoop(rescoop)
    assert note["inReplyTo"] == f"{BASE}/topic/paris-networks/{origin.pk}-post/"
    assert f'<a href="{BASE}/u/marie/">Marie &lt;Curie&gt;</a>' in note["content"]
    assert "Paris &amp; networks" in note["content"]
    announce = documents.announce_activity(rescoop)
    assert announce["type"] == "Announce" and announce["object"] == note["inReplyTo"]
    assert announce["actor"] == f"{BASE}/topic/toulouse-networks/"
    assert f"{BASE}/topic/paris-networks/" in announce["cc"]


def test_announce_needs_a_rescoop(make_scoop):
    with pytest.raises(ValueError):
        documents.announce_activity(make_scoop())


@pytest.mark.parametrize(
    ("name", "tag"),
    [("fibre", "fibre"), ("Smart city", "SmartCity"), ("réseaux sociaux", "RéseauxSociaux")],
)
def test_tag_names_become_one_word_hashtags(name, tag):
    assert documents.hashtag(name) == tag


def test_keys_are_made_once_per_actor(topic, curator):
    first = keys.key_for_topic(topic)
    assert keys.key_for_topic(topic).pk == first.pk
    assert keys.key_for_user(curator).pk != first.pk
    assert keys.instance_key().pk == keys.instance_key().pk
    loaded = serialization.load_pem_private_key(first.private_key_pem.encode(), password=None)
    assert loaded.key_size == 2048
    assert first.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")


def test_key_made_by_a_concurrent_request_wins_the_race(topic, monkeypatch):
    real = keys.generate_key_pair
    winner = {}

    def racing():
        private_pem, public_pem = real()
        winner["key"] = ActorKey.objects.create(
            topic=topic, private_key_pem=private_pem, public_key_pem=public_pem
        )
        return real()

    monkeypatch.setattr(keys, "generate_key_pair", racing)
    assert keys.key_for_topic(topic).pk == winner["key"].pk
    assert ActorKey.objects.filter(topic=topic).count() == 1
