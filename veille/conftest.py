"""Fixtures shared by every app's tests."""

import itertools

import pytest

from veille.accounts.models import User
from veille.topics import services

_counter = itertools.count(1)


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        username = username or f"user{next(_counter)}"
        return User.objects.create_user(username=username, password="correct horse battery",
                                        email=f"{username}@example.org", **fields)

    return make


@pytest.fixture
def curator(make_user):
    return make_user("jacques", display_name="Jacques Le Bris")


@pytest.fixture
def topic(curator):
    return services.topic_create(by=curator, title="Toulouse networks", slug="toulouse-networks",
                                 subtitle="Networking in Toulouse", language="fr")


@pytest.fixture
def make_scoop(topic, curator):
    def make(title=None, *, in_topic=None, by=None, **kwargs):
        title = title or f"Scoop number {next(_counter)}"
        return services.scoop_create(topic=in_topic or topic, by=by or curator, title=title,
                                     **kwargs)

    return make
