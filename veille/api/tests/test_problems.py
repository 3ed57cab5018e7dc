"""Every error is RFC 9457 problem details: type, title, status, detail, instance (+ errors)."""

import pytest

from veille.api.endpoints import topics as topic_endpoints

SCOOPS = "topics/toulouse-networks/scoops"
MEMBERS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status, slug):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert MEMBERS <= set(problem)
    assert problem["status"] == status
    assert problem["type"] == f"http://127.0.0.1:8000/api/problems/{slug}"
    assert problem["instance"] == response.request["PATH_INFO"]
    assert problem["detail"]
    return problem


def test_malformed_json_is_400(curator_api, api, topic):
    response = curator_api.client.post(
        "/api/v1/topics/toulouse-networks/scoops",
        "{not json",
        content_type="application/json",
        headers=curator_api._headers(),
    )
    assert_problem(response, 400, "bad-request")


def test_missing_token_is_401(api, topic):
    problem = assert_problem(api.post(SCOOPS, {"title": "x"}), 401, "not-authenticated")
    assert problem["detail"] == "Writes need an API token."


def test_permission_denied_is_403(outsider_api, topic):
    assert_problem(outsider_api.post(SCOOPS, {"title": "x"}), 403, "permission-denied")


@pytest.mark.parametrize(
    "path", ["topics/nowhere", "topics/nowhere/scoops", f"{SCOOPS}/999", "no/such/thing", "x/"]
)
def test_not_found_is_404(api, topic, path):
    assert_problem(api.get(path), 404, "not-found")


def test_unknown_path_is_404_for_any_method(curator_api):
    assert_problem(curator_api.post("no/such/thing", {}), 404, "not-found")


def test_wrong_method_is_405(curator_api, topic):
    response = curator_api.send("PUT", "topics/toulouse-networks")
    assert_problem(response, 405, "method-not-allowed")
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}


def test_duplicate_is_409(curator_api, make_scoop):
    make_scoop("First", url="https://example.org/a")
    response = curator_api.post(SCOOPS, {"title": "Again", "url": "https://example.org/a"})
    assert_problem(response, 409, "duplicate-scoop")


def test_invalid_input_is_422_with_field_errors(curator_api, topic):
    response = curator_api.post(SCOOPS, {"title": "", "url": "ftp://x", "tags": "no"})
    problem = assert_problem(response, 422, "validation-error")
    pointers = sorted(e["pointer"] for e in problem["errors"])
    assert pointers == ["#/tags", "#/title", "#/url"]
    assert all(e["detail"] for e in problem["errors"])


def test_invalid_parameter_is_422_naming_it(api, topic):
    problem = assert_problem(api.get(f"{SCOOPS}/0"), 422, "validation-error")
    assert problem["errors"][0]["parameter"] == "scoop_id"


def test_service_validation_error_is_422_with_field_errors(curator_api, topic):
    problem = assert_problem(curator_api.post(SCOOPS, {"title": "   "}), 422, "validation-error")
    assert problem["errors"] == [{"detail": "A scoop needs a title.", "pointer": "#/title"}]


def test_rate_limit_is_429(settings, api, topic):
    settings.API_READ_RATE_LIMIT = "1/60"
    api.get("topics")
    response = api.get("topics")
    assert_problem(response, 429, "rate-limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_server_error_is_500(api, topic, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(topic_endpoints.selectors, "api_topics", broken)
    problem = assert_problem(api.get("topics"), 500, "server-error")
    assert "boom" not in problem["detail"]


def test_problem_types_are_documented(client):
    page = client.get("/api/problems/rate-limited")
    assert page.status_code == 200
    assert "Too many requests" in page.content.decode()
    assert client.get("/api/problems/nothing").status_code == 404
