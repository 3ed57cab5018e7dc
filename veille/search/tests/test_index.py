"""The index stays in step with every create, edit and delete, and can be rebuilt."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from veille.capture.pipeline import Capture
from veille.capture.services import remember_capture, scoop_complete
from veille.search.models import SearchEntry
from veille.search.tests.conftest import titles
from veille.topics import services


def _fts_rows() -> int | None:
    """Rows of SQLite's FTS5 table (None on PostgreSQL, where the text is in SearchEntry)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_fts")
        return cursor.fetchone()[0]


def test_a_new_scoop_is_found_at_once(make_scoop):
    make_scoop("Zeppelins over Toulouse", tags=["Aviation"])
    assert titles("zeppelin") == {"Zeppelins over Toulouse"}
    assert titles("tag:aviation") == {"Zeppelins over Toulouse"}


def test_an_edit_replaces_what_was_indexed(make_scoop, curator):
    scoop = make_scoop("Zeppelins over Toulouse", tags=["Aviation"])
    services.scoop_update(scoop=scoop, by=curator, title="Balloons over Albi", tags=["Sky"])
    assert titles("zeppelin") == set() and titles("tag:aviation") == set()
    assert titles("balloon albi") == {"Balloons over Albi"}
    assert titles("tag:sky") == {"Balloons over Albi"}


def test_an_insight_edit_is_found(make_scoop, curator):
    scoop = make_scoop("Zeppelins")
    services.scoop_update(scoop=scoop, by=curator, insight="Un **dirigeable** magnifique")
    assert titles("dirigeables") == {"Zeppelins"}


def test_a_draft_is_found_once_published(make_scoop, curator):
    scoop = make_scoop("Zeppelins", draft=True)
    assert titles("zeppelin") == set()
    services.scoop_update(scoop=scoop, by=curator, draft=False)
    assert titles("zeppelin") == {"Zeppelins"}


def test_a_deleted_scoop_leaves_the_index(make_scoop, curator):
    kept, gone = make_scoop("Zeppelins kept"), make_scoop("Zeppelins gone")
    services.scoop_delete(scoop=gone, by=curator)
    assert titles("zeppelin") == {"Zeppelins kept"}
    assert list(SearchEntry.objects.values_list("scoop_id", flat=True)) == [kept.pk]
    assert _fts_rows() in (None, 1)


def test_a_rescoop_is_found_in_its_own_topic(make_scoop, make_user):
    origin = make_scoop("Zeppelins over Toulouse")
    reader = make_user("reader")
    mine = services.topic_create(by=reader, title="Mine", slug="mine", language="en")
    services.rescoop_create(origin=origin, topic=mine, by=reader, insight="Airships!")
    assert titles("zeppelin", topic="mine") == {"Zeppelins over Toulouse"}
    assert titles("airships") == {"Zeppelins over Toulouse"}
    assert titles("zeppelin topic:toulouse-networks") == {"Zeppelins over Toulouse"}


def test_a_deleted_topic_leaves_the_index(make_scoop, make_user, curator, topic):
    reader = make_user("reader")
    other = services.topic_create(by=reader, title="Other", slug="other")
    services.scoop_create(topic=other, by=reader, title="Zeppelins elsewhere")
    make_scoop("Zeppelins here")
    services.topic_delete(topic=topic, by=curator)
    assert titles("zeppelin") == {"Zeppelins elsewhere"}
    assert SearchEntry.objects.count() == 1
    assert _fts_rows() in (None, 1)


def test_a_topic_language_change_indexes_its_scoops_again(make_scoop, curator, topic):
    scoop = make_scoop("Les réseaux de la ville")
    own = make_scoop("Networks of the city", details={"language": "en"})
    assert SearchEntry.objects.get(scoop=scoop).config == "french"
    services.topic_update(topic=topic, by=curator, language="en")
    assert SearchEntry.objects.get(scoop=scoop).config == "english"
    assert SearchEntry.objects.get(scoop=own).config == "english"
    assert titles("réseau") == set()  # English does not stem French plurals


def test_the_archived_text_is_found_once_captured(make_scoop):
    scoop = make_scoop("An article", url="https://example.org/article")
    assert titles("dirigeable") == set()
    remember_capture(
        Capture(
            url=scoop.source_url,
            text="Le dirigeable survole la Garonne.",
            html="<p>Le dirigeable survole la Garonne.</p>",
            language="fr",
            site_name="Exemple",
        )
    )
    scoop_complete(scoop_id=scoop.pk)
    assert titles("dirigeables garonne") == {"An article"}
    assert titles("exemple") == {"An article"}  # the site name arrived too


def test_a_rescoop_finds_its_origins_archived_text(make_scoop, make_user):
    origin = make_scoop("An article", url="https://example.org/article")
    reader = make_user("reader")
    mine = services.topic_create(by=reader, title="Mine", slug="mine", language="fr")
    services.rescoop_create(origin=origin, topic=mine, by=reader)
    remember_capture(Capture(url=origin.source_url, text="Le dirigeable.", html="<p>x</p>"))
    scoop_complete(scoop_id=origin.pk)
    assert titles("dirigeable", topic="mine") == {"An article"}


def test_an_imported_topic_is_searchable(db):
    from veille.importers.services import load_demo

    load_demo(force=True)
    assert "LinkedIn Desktop Redesign" in titles("linkedin topic:toulouse-networks")


def _rebuild() -> str:
    err = io.StringIO()
    call_command("search", "--rebuild", stderr=err)
    return err.getvalue()


def test_rebuild_restores_a_lost_index_with_a_progress_bar(make_scoop):
    for i in range(3):
        make_scoop(f"Zeppelin {i}")
    SearchEntry.objects.all().delete()
    assert titles("zeppelin") == set() and _fts_rows() in (None, 0)
    output = _rebuild()
    assert "[" + "#" * 30 + "] 3/3" in output and "Indexed 3 scoops" in output
    assert titles("zeppelin") == {"Zeppelin 0", "Zeppelin 1", "Zeppelin 2"}


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_rebuild_drops_indexed_text_without_a_scoop(make_scoop):
    make_scoop("Zeppelin")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (rowid, title) VALUES (999999, 'x')")
    _rebuild()
    assert _fts_rows() == 1


def test_rebuild_of_an_empty_instance_says_so(db):
    assert "Indexed 0 scoops" in _rebuild()


def test_the_migration_indexes_scoops_made_before_search(make_scoop):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("veille.search.migrations.0003_index_existing")
    make_scoop("Zeppelin")
    SearchEntry.objects.all().delete()
    migration.index_existing(apps, None)
    assert titles("zeppelin") == {"Zeppelin"}
