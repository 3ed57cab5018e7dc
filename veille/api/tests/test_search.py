"""Search through the API: the site's engine (veille.search), paged with cursors."""

from veille.topics import services


def test_search_finds_posts_with_the_sites_engine(api, curator, make_scoop):
    make_scoop("L'école du numérique ouvre à Toulouse")
    make_scoop("Un marché de Noël")
    other = services.topic_create(by=curator, title="Elsewhere", slug="elsewhere")
    make_scoop("Une école à Lyon", in_topic=other)
    found = api.get("search", q="ecole").json()
    assert found["total"] == 2
    assert {hit["topic"]["slug"] for hit in found["results"]} == {"toulouse-networks", "elsewhere"}
    assert "<mark>" in found["results"][0]["title_html"]
    in_topic = api.get("search", q="ecole", topic="elsewhere").json()
    assert [hit["title"] for hit in in_topic["results"]] == ["Une école à Lyon"]


def test_search_results_are_paged(api, make_scoop):
    for n in range(3):
        make_scoop(f"Réseau numéro {n}")
    first = api.get("search", q="reseau", limit=2).json()
    assert len(first["results"]) == 2
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    ids = [hit["id"] for hit in first["results"] + second["results"]]
    assert len(set(ids)) == 3


def test_search_reports_what_it_cannot_read(api, make_scoop):
    make_scoop("Réseau")
    found = api.get("search", q="reseau", after="yesterday").json()
    assert found["notes"] == ["Cannot read after:yesterday"]


def test_search_with_a_foreign_cursor_is_a_bad_request(api, db):
    assert api.get("search", q="x", cursor="eyJwYWdlIjogMH0").status_code == 400


def test_search_with_nul_characters_is_no_server_error(api, make_scoop):
    make_scoop("Réseau")
    for params in ({"q": "ré\x00seau"}, {"q": "x", "topic": "a\x00"}, {"q": "x", "site": "\x00"}):
        assert api.get("search", **params).status_code < 500
