import json

import pytest

from veille.api import services
from veille.api.models import Scope


class Api:
    """The test client speaking JSON to /api/v1/, with a token when given one."""

    def __init__(self, client, secret=None):
        self.client, self.secret = client, secret

    def as_(self, secret):
        return Api(self.client, secret)

    def _headers(self):
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path, **params):
        return self.client.get(_url(path), params, headers=self._headers())

    def send(self, method, path, body=None):
        return self.client.generic(
            method,
            _url(path),
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self._headers(),
        )

    def post(self, path, body=None):
        return self.send("POST", path, body)

    def patch(self, path, body=None):
        return self.send("PATCH", path, body)

    def delete(self, path):
        return self.send("DELETE", path)


def _url(path):
    return path if path.startswith(("/", "http")) else f"/api/v1/{path}"


@pytest.fixture
def make_token():
    def make(user, scope=Scope.WRITE, name="script"):
        return services.token_create(user=user, name=name, scope=scope)

    return make


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def curator_api(api, curator, make_token):
    """The API as the topic fixture's owner, with a write token."""
    return api.as_(make_token(curator)[1])


@pytest.fixture
def outsider_api(api, make_user, make_token):
    """The API as a person who curates nothing, with a write token."""
    return api.as_(make_token(make_user("outsider"))[1])
