"""A small Veille instance's worth of data for the export and import tests: a topic with
drafts, a pinned scoop, tags, insights, comments (one hidden, one a reply from the fediverse),
sources of every kind, a second curator, and rescoops in both directions with another topic."""

from __future__ import annotations

import datetime as dt

from veille.federation import ids, notes, remote
from veille.sources import services as source_services
from veille.topics import services
from veille.topics.models import Role, Scoop, Topic


def build(make_user) -> tuple[Topic, Topic]:
    """The two topics: "toulouse-networks" (Jacques, Ann) and "fediverse" (Ben)."""
    jacques = make_user("jacques", display_name="Jacques Le Bris", bio="Veille à Toulouse.")
    ann, ben, reader = make_user("ann"), make_user("ben", display_name="Ben"), make_user("rita")
    topic = services.topic_create(
        by=jacques,
        title="Toulouse networks",
        slug="toulouse-networks",
        subtitle="Réseautage de la Ville rose",
        language="fr",
        keywords="toulouse, réseaux",
    )
    services.curator_add(topic=topic, by=jacques, user=ann, role=Role.EDITOR)
    other = services.topic_create(by=ben, title="Fediverse", slug="fediverse")
    first = services.scoop_create(
        topic=topic,
        by=jacques,
        title="Mastodon, le réseau social décentralisé",
        url="https://joinmastodon.org/fr",
        excerpt_html="<p>Un réseau <em>libre</em>.</p><script>alert(1)</script>",
        insight="À **suivre** : la communauté toulousaine.",
        tags=["mastodon", "Réseaux"],
        publish_at=dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC),
        pinned=True,
    )
    services.scoop_create(topic=topic, by=ann, title="Un brouillon", insight="À finir", draft=True)
    services.scoop_create(
        topic=topic,
        by=ann,
        title="La Cantine",
        url="https://www.lacantine-toulouse.org/",
        publish_at=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
        tags=["toulouse"],
    )
    theirs = services.scoop_create(
        topic=other,
        by=ben,
        title="ActivityPub",
        url="https://www.w3.org/TR/activitypub/",
        publish_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
    )
    services.rescoop_create(origin=theirs, topic=topic, by=jacques, insight="La norme.")
    services.rescoop_create(origin=first, topic=other, by=ben, insight="Vu de Lyon.")
    comment = services.comment_create(scoop=first, by=reader, body="Merci *Jacques* !")
    services.comment_create(scoop=first, by=ben, body="Hors sujet")
    services.comment_set_hidden(
        comment=first.comments.get(body_markdown="Hors sujet"), by=jacques, hidden=True
    )
    remote_reply(first)
    services.thanks_toggle(scoop=first, by=reader)
    services.follow_toggle(topic=topic, by=reader)
    assert comment.pk
    # federation settings are set by their own services; the file must carry them
    Topic.objects.filter(pk=topic.pk).update(visibility="unlisted", discoverable=False)
    Scoop.objects.filter(pk=first.pk).update(content_warning="Politique locale")
    _sources(topic, jacques)
    return topic, other


LEA = "https://mastodon.example/users/lea"
LEA_REPLY = f"{LEA}/statuses/110"


def remote_reply(scoop: Scoop, *, note_id: str = LEA_REPLY, content: str = "") -> None:
    """A public reply from Mastodon, received as the inbox receives one."""
    actor = remote.save_actor(
        {
            "id": LEA,
            "type": "Person",
            "preferredUsername": "lea",
            "name": "Léa Martin",
            "url": "https://mastodon.example/@lea",
            "inbox": f"{LEA}/inbox",
        }
    )
    note = {
        "id": note_id,
        "type": "Note",
        "attributedTo": LEA,
        "inReplyTo": ids.post_object_id(scoop),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "content": content or '<p>Super <a href="https://example.org/">lien</a> !</p>',
    }
    notes.on_create({"type": "Create", "actor": LEA, "object": note}, actor)


def _sources(topic: Topic, by) -> None:
    feed = source_services.source_create(
        topic=topic,
        by=by,
        kind="feed",
        url="https://www.ladepeche.fr/rss.xml",
        title="La Dépêche",
        site_url="https://www.ladepeche.fr/",
        weight=2.0,
        poll=False,
    )
    source_services.source_create(
        topic=topic, by=by, kind="keyword", query="mastodon toulouse", poll=False
    )
    site = source_services.source_create(
        topic=topic, by=by, kind="site", url="https://www.toulouse.fr/", poll=False
    )
    source_services.source_update(source=site, by=by, enabled=False)
    assert feed.pk
