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
