"""Rate limits per token, per logged-in reader, per address for anonymous reads."""

from veille.api.models import Scope


def test_reads_are_limited_per_token(settings, api, curator, make_user, make_token):
    settings.API_READ_RATE_LIMIT = "3/60"
    mine = api.as_(make_token(curator, scope=Scope.READ)[1])
    theirs = api.as_(make_token(make_user("claire"), scope=Scope.READ)[1])
    assert [mine.get("topics").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert theirs.get("topics").status_code == 200
    assert api.get("topics").status_code == 200  # anonymous: counted by address


def test_anonymous_reads_are_limited_per_address(settings, client, db):
    settings.API_READ_RATE_LIMIT = "2/60"
    here = [client.get("/api/v1/topics", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    assert here == [200, 200, 429]
    assert client.get("/api/v1/topics", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_writes_have_their_own_limit(settings, curator_api, topic):
    settings.API_WRITE_RATE_LIMIT = "2/60"
    statuses = [curator_api.post("topics/toulouse-networks/follow").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert curator_api.get("topics").status_code == 200


def test_commenting_too_fast_is_429_with_retry_after(settings, outsider_api, make_scoop):
    from veille.api.tests.test_problems import assert_problem
    from veille.topics.models import Comment

    settings.COMMENT_RATE_LIMIT = "2/60"
    scoop = make_scoop("Commented")
    path = f"topics/toulouse-networks/scoops/{scoop.pk}/comments"
    assert [outsider_api.post(path, {"body": f"n°{i}"}).status_code for i in range(2)] == [201, 201]
    response = outsider_api.post(path, {"body": "one too many"})
    problem = assert_problem(response, 429, "rate-limited")
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert problem["title"] == "Too many requests"
    assert problem["detail"] == f"You are commenting too fast. Try again in {retry_after} seconds."
    assert "errors" not in problem
    assert Comment.objects.filter(scoop=scoop).count() == 2


def test_commenting_too_fast_on_the_site_is_a_message(settings, client, make_scoop, make_user):
    from django.urls import reverse

    settings.COMMENT_RATE_LIMIT = "1/60"
    scoop = make_scoop("Commented")
    client.force_login(make_user("reader"))
    url = reverse("topics:comment_add", args=[scoop.topic.slug, scoop.pk])
    client.post(url, {"body": "first"})
    response = client.post(url, {"body": "second"}, follow=True)
    assert response.status_code == 200
    assert "You are commenting too fast. Try again in" in response.content.decode()
    assert scoop.comments.count() == 1
