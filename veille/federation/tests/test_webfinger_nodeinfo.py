"""WebFinger, NodeInfo 2.0/2.1 and host-meta: how other servers find us."""

import datetime as dt

import pytest
from django.utils import timezone

from veille.topics import services
from veille.topics.models import Scoop

BASE = "http://127.0.0.1:8000"  # a port in the address, as on one machine
HOST = "127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


def _finger(client, resource):
    return client.get("/.well-known/webfinger", {"resource": resource})


def test_topic_is_found_by_its_handle_with_the_port_of_the_base_url(client, topic):
    response = _finger(client, f"acct:toulouse-networks@{HOST}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    actor = f"{BASE}/topic/toulouse-networks/"
    assert response.json() == {
        "subject": f"acct:toulouse-networks@{HOST}",
        "aliases": [actor],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor},
        ],
    }


def test_curator_is_found_whatever_the_case_of_the_name(client, topic):
    response = _finger(client, f"acct:Jacques@{HOST}")
    assert response.status_code == 200
    assert response.json()["subject"] == f"acct:jacques@{HOST}"
    assert response.json()["links"][0]["href"] == f"{BASE}/u/jacques/"


@pytest.mark.parametrize("resource", [f"jacques@{HOST}", f"@jacques@{HOST}", f"{BASE}/u/jacques/"])
def test_other_spellings_of_a_resource_are_understood(client, topic, resource):
    assert _finger(client, resource).json()["subject"] == f"acct:jacques@{HOST}"


def test_topic_is_found_by_its_actor_address(client, topic):
    response = _finger(client, f"{BASE}/topic/toulouse-networks/")
    assert response.json()["subject"] == f"acct:toulouse-networks@{HOST}"


def test_instance_actor_is_found_as_host_at_host(client, db):
    response = _finger(client, f"acct:127.0.0.1@{HOST}")
    assert response.status_code == 200
    assert response.json()["links"][0]["href"] == f"{BASE}/actor"
    assert response.json()["aliases"] == [f"{BASE}/actor", f"{BASE}/"]
    assert _finger(client, f"{BASE}/actor").json()["subject"] == f"acct:127.0.0.1@{HOST}"


def test_users_who_curate_nothing_and_placeholders_are_not_actors(client, topic, make_user):
    make_user("reader")
    placeholder = make_user("ghost", is_placeholder=True)
    services.curator_add(topic=topic, by=topic.curators.get().user, user=placeholder)
    for name in ("reader", "ghost", "nobody"):
        assert _finger(client, f"acct:{name}@{HOST}").status_code == 404


@pytest.mark.parametrize(
    "resource",
    [
        "acct:toulouse-networks@127.0.0.1",  # the port is part of the host
        "acct:toulouse-networks@other.example",
        "https://other.example/topic/toulouse-networks/",
        f"{BASE}/topic/toulouse-networks/feed.atom",
    ],
)
def test_resources_of_other_hosts_or_that_are_not_actors_are_not_found(client, topic, resource):
    assert _finger(client, resource).status_code == 404


@pytest.mark.parametrize(
    "resource", ["", "acct:", "acct:nobody", f"acct:@{HOST}", "acct:a@", "mailto:x", "a b@c"]
)
def test_malformed_resources_are_bad_requests(client, db, resource):
    response = _finger(client, resource)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_nodeinfo_discovery_links_both_versions(client, db):
    response = client.get("/.well-known/nodeinfo")
    assert response.json() == {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": f"{BASE}/nodeinfo/2.0",
            },
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": f"{BASE}/nodeinfo/2.1",
            },
        ]
    }


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_nodeinfo_counts_curators_and_published_posts(
    client, settings, topic, make_scoop, make_user, version
):
    settings.SIGNUP_OPEN = False
    make_scoop("Published")
    make_scoop("Draft", draft=True)
    old = make_scoop("Old", publish_at=timezone.now() - dt.timedelta(days=100))
    Scoop.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=100))
    editor = make_user("editor")
    services.curator_add(topic=topic, by=topic.curators.get().user, user=editor)
    make_user("reader")
    response = client.get(f"/nodeinfo/{version}")
    assert response["Content-Type"] == (
        f'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/{version}#"'
    )
    document = response.json()
    assert document["version"] == version
    assert document["software"]["name"] == "veille"
    assert document["software"]["version"] == "0.1.0"
    assert document["protocols"] == ["activitypub"]
    assert document["openRegistrations"] is False
    assert document["usage"] == {
        "users": {"total": 2, "activeMonth": 1, "activeHalfyear": 1},
        "localPosts": 2,
    }
    assert document["metadata"]["nodeName"] == HOST


def test_nodeinfo_of_an_unknown_version_is_not_found(client, db):
    assert client.get("/nodeinfo/9.9").status_code == 404


def test_host_meta_points_to_webfinger_in_xml_and_json(client, db):
    template = f"{BASE}/.well-known/webfinger?resource={{uri}}"
    xml = client.get("/.well-known/host-meta")
    assert xml["Content-Type"] == "application/xrd+xml"
    assert (
        f'<Link rel="lrdd" type="application/jrd+json" template="{template}"/>'
        in xml.content.decode()
    )
    json_variant = client.get("/.well-known/host-meta.json").json()
    assert json_variant == {
        "links": [{"rel": "lrdd", "type": "application/jrd+json", "template": template}]
    }
