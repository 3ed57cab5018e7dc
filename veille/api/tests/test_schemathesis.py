"""Schemathesis against /api/openapi.json: generated requests never meet a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from veille.wsgi import application

EXAMPLES = 20  # per operation with the known topic and post; half as many with any values


@pytest.fixture
def wsgi_app():
    """Our WSGI application called in this thread, inside the test's transaction.

    Django's test client stops each request from closing the database connection at its end;
    Schemathesis calls the WSGI app directly, so the same is done here.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Topics of their own for the operations that could move or remove the shared one.
SPARE_TOPICS = {
    "PATCH /api/v1/topics/{slug}": "spare-to-edit",
    "DELETE /api/v1/topics/{slug}": "spare-to-delete",
}


@pytest.fixture
def corpus(topic, curator, make_scoop, make_user):
    """A topic with posts (one pinned, one with a tag and a comment): real addresses to use."""
    from veille.topics import services

    for slug in SPARE_TOPICS.values():
        services.topic_create(by=curator, title=slug, slug=slug)
    reader = make_user("reader")
    first = make_scoop("Réseaux toulousains", url="https://example.org/reseaux", tags=["réseau"])
    make_scoop("Pinned post", pinned=True, insight="**Read** this.")
    for n in range(5):
        make_scoop(f"Post {n}", url=f"https://example.org/{n}")
    services.comment_create(scoop=first, by=reader, body="Merci !")
    return {"slug": topic.slug, "scoop_id": first.pk, "username": "jacques"}


METHOD_ORDER = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3}


def _operations(schema):
    """Reads, then writes, then deletions: the known post exists for every other operation."""
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda op: METHOD_ORDER[op.method.upper()])


def _run(operation, *, headers, examples, path_parameters=None) -> set[int]:
    """Run generated cases of one operation; the statuses it answered."""
    known = {k: v for k, v in (path_parameters or {}).items() if k in operation.path}
    if known and operation.label in SPARE_TOPICS:
        known["slug"] = SPARE_TOPICS[operation.label]
    statuses = set()

    @given(case=operation.as_strategy(path_parameters=known or None))
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    check()
    return statuses


@pytest.mark.timeout(180)
def test_generated_requests_never_meet_a_server_error(
    settings, wsgi_app, corpus, curator, make_token
):
    settings.API_READ_RATE_LIMIT = settings.API_WRITE_RATE_LIMIT = "1000000/60"
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {make_token(curator)[1]}"}
    operations = _operations(schema)
    assert len(operations) >= 12
    for operation in operations:
        statuses = _run(operation, headers=headers, examples=EXAMPLES, path_parameters=corpus)
        # Writes were really exercised: every operation succeeded at least once.
        assert any(200 <= status < 300 for status in statuses), (operation.label, statuses)
        _run(operation, headers=headers, examples=EXAMPLES // 2)  # any address the schema allows
