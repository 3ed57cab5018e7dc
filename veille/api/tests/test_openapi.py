"""The OpenAPI document: served at /api/openapi.json, valid, complete, with problem errors."""

import schemathesis

from veille.wsgi import application

EXPECTED = {
    ("GET", "/api/v1/topics"),
    ("POST", "/api/v1/topics"),
    ("GET", "/api/v1/topics/{slug}"),
    ("PATCH", "/api/v1/topics/{slug}"),
    ("DELETE", "/api/v1/topics/{slug}"),
    ("POST", "/api/v1/topics/{slug}/follow"),
    ("GET", "/api/v1/topics/{slug}/scoops"),
    ("POST", "/api/v1/topics/{slug}/scoops"),
    ("GET", "/api/v1/topics/{slug}/scoops/{scoop_id}"),
    ("PATCH", "/api/v1/topics/{slug}/scoops/{scoop_id}"),
    ("DELETE", "/api/v1/topics/{slug}/scoops/{scoop_id}"),
    ("POST", "/api/v1/topics/{slug}/scoops/{scoop_id}/thanks"),
    ("GET", "/api/v1/topics/{slug}/scoops/{scoop_id}/comments"),
    ("POST", "/api/v1/topics/{slug}/scoops/{scoop_id}/comments"),
    ("GET", "/api/v1/users/{username}"),
    ("GET", "/api/v1/search"),
}


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Veille API"
    operations = {
        (method.upper(), path) for path, ops in document["paths"].items() for method in ops
    }
    assert operations == EXPECTED
    assert document["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_errors_are_documented_as_problem_details(client):
    document = client.get("/api/openapi.json").json()
    created = document["paths"]["/api/v1/topics/{slug}/scoops"]["post"]["responses"]
    assert set(created) >= {"201", "401", "403", "404", "409", "422", "429"}
    assert list(created["409"]["content"]) == ["application/problem+json"]
    assert list(created["201"]["content"]) == ["application/json"]


def test_openapi_document_is_valid(db):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    schema.validate()
    assert all(result.ok() for result in schema.get_all_operations())


def test_interactive_docs_are_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in response.content.decode()
