"""A small French and English corpus, written through the services (which index as they save)."""

import datetime as dt

import pytest
from django.utils import timezone

from veille.search import selectors
from veille.topics import services


def day(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def titles(q: str = "", **filters) -> set[str]:
    return {r.scoop.title for r in selectors.search(q=q, per_page=100, **filters).results}


def ranked_titles(q: str = "", **filters) -> list[str]:
    return [r.scoop.title for r in selectors.search(q=q, per_page=100, **filters).results]


FRENCH = [
    {
        "title": "L'école numérique de Toulouse",
        "excerpt_html": "<p>Les réseaux sociaux à l'école.</p>",
        "tags": ["Éducation"],
        "url": "https://www.ladepeche.fr/ecole",
        "publish_at": day("2024-03-10T10:00"),
    },
    {
        "title": "Un réseau de bibliothèques",
        "excerpt_html": "<p>Le réseau des médiathèques de la ville rose.</p>",
        "tags": ["Culture"],
        "url": "https://lemonde.fr/bibliotheques",
        "publish_at": day("2023-05-01T10:00"),
    },
    {
        "title": "Élections municipales : les candidats",
        "excerpt_html": "<p>Les élections approchent à Toulouse.</p>",
        "tags": ["Politique"],
        "url": "https://blog.lemonde.fr/municipales",
        "publish_at": day("2024-01-15T10:00"),
    },
    {"title": "École en brouillon", "excerpt_html": "<p>Pas encore publié.</p>", "draft": True},
]
ENGLISH = [
    {
        "title": "Election night in Toulouse",
        "excerpt_html": "<p>The election results, school by school.</p>",
        "tags": ["Politics"],
        "url": "https://www.theguardian.com/election",
        "publish_at": day("2024-02-01T10:00"),
    },
    {
        "title": "Schools and social networks",
        "excerpt_html": "<p>How a school uses its networks.</p>",
        "tags": ["Éducation"],
        "publish_at": day("2022-06-01T10:00"),
    },
    {
        "title": "The Ecole Normale campus",
        "insight": "A campus for *engineers*.",
        "publish_at": day("2022-09-01T10:00"),
    },
    {
        "title": "Mastodon for newsrooms",
        "excerpt_html": "<p>Leaving the bird site.</p>",
        "publish_at": day("2023-01-01T10:00"),
    },
    {
        "title": "Bluesky opens its doors",
        "excerpt_html": "<p>Another decentralised network.</p>",
        "publish_at": day("2023-02-01T10:00"),
    },
]


@pytest.fixture
def marie(make_user):
    return make_user("marie", display_name="Marie Morgane")


@pytest.fixture
def corpus(curator, marie):
    """Posts by title: French ones in "villes" (jacques), English ones in "cities" (marie), and
    marie's rescoop of the school post into "cities" (titled like its origin)."""
    villes = services.topic_create(by=curator, title="Villes", slug="villes", language="fr")
    cities = services.topic_create(by=marie, title="Cities", slug="cities", language="en")
    posts = {}
    for topic, by, fields in [(villes, curator, f) for f in FRENCH] + [
        (cities, marie, f) for f in ENGLISH
    ]:
        posts[fields["title"]] = services.scoop_create(topic=topic, by=by, **fields)
    school = posts["L'école numérique de Toulouse"]
    posts["rescoop"] = services.rescoop_create(origin=school, topic=cities, by=marie, insight="Yes")
    return posts
