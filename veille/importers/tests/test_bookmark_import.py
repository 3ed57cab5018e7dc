import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from veille.importers.bookmarks import import_bookmarks, topic_for_import
from veille.importers.report import ImportFailed, ImportReport
from veille.search.selectors import search
from veille.topics import services as topic_services
from veille.topics.models import Scoop, ScoopStatus, Tag

FILES = Path(__file__).parent / "files"


def run(topic, curator, name, kind="html", **kwargs):
    return import_bookmarks(path=FILES / name, kind=kind, topic=topic, by=curator, **kwargs)


def outcome(report) -> tuple[int, int, int, int]:
    return report.created, report.updated, report.skipped, report.failed


def tag_names(scoop: Scoop) -> set[str]:
    return set(scoop.tags.values_list("name", flat=True))


def test_firefox_export_becomes_published_scoops_with_folders_as_tags(topic, curator):
    report = run(topic, curator, "firefox.html")
    assert outcome(report) == (4, 0, 2, 0)  # the place: and javascript: links are skipped
    assert [str(n) for n in report.notices] == [
        "line 21: not a web page address: place:parent=toolbar_____&sort=8&maxResults=10",
        "line 25: not a web page address: "
        "javascript:location.href='https://veille.example/new/?url='+encodeURIComponent(l",
    ]
    scoop = Scoop.objects.get(source_url__contains="ladepeche")
    assert scoop.source_url.endswith("ville-rose.html")  # tracking parameters dropped
    assert (scoop.title, scoop.status) == (
        "Toulouse : les réseaux sociaux de la Ville rose",
        ScoopStatus.PUBLISHED,
    )
    assert scoop.published_at == dt.datetime(2023, 11, 2, 8, 0, tzinfo=dt.UTC)
    assert tag_names(scoop) == {"toulouse", "réseaux sociaux", "Veille Toulouse"}
    assert scoop.curator == curator and scoop.import_key
    topic.refresh_from_db()
    assert topic.scoop_count == 4


def test_pinboard_notes_become_insights_and_private_links_drafts(topic, curator):
    assert outcome(run(topic, curator, "pinboard.html")) == (3, 0, 0, 0)
    activitypub = Scoop.objects.get(source_url="https://www.w3.org/TR/activitypub/")
    assert activitypub.insight_markdown.startswith("The W3C recommendation")
    assert activitypub.insight_html == (
        "<p>The W3C recommendation behind Mastodon, PeerTube &amp; friends.</p>"
    )
    assert Scoop.objects.get(source_url="https://pinboard.in/howto/").status == ScoopStatus.DRAFT
    assert tag_names(Scoop.objects.get(title__startswith="A page")) == {"veille", "outils"}


def test_shaarli_markdown_notes_are_rendered(topic, curator):
    run(topic, curator, "shaarli.html")
    cantine = Scoop.objects.get(title="La Cantine Toulouse")
    assert "<strong>programme</strong>" in cantine.insight_html
    assert Scoop.objects.get(title__startswith="Note:").status == ScoopStatus.DRAFT


def test_pocket_csv_gives_titles_dates_and_tags(topic, curator):
    report = run(topic, curator, "pocket.csv", kind="pocket")
    assert outcome(report) == (3, 0, 0, 0)
    smart = Scoop.objects.get(source_url__endswith="smart-city.html")
    assert smart.title == 'Toulouse "smart city" : le bilan'
    assert tag_names(smart) == {"toulouse", "ville", "numérique"}
    assert smart.published_at == dt.datetime.fromtimestamp(1698679032, tz=dt.UTC)


def test_draft_option_imports_every_link_unpublished(topic, curator):
    run(topic, curator, "chrome.html", draft=True)
    assert set(Scoop.objects.values_list("status", flat=True)) == {ScoopStatus.DRAFT}


def test_importing_again_skips_everything_and_adds_no_row(topic, curator):
    run(topic, curator, "firefox.html")
    rows = Scoop.objects.count(), Tag.objects.count()
    report = run(topic, curator, "firefox.html")
    assert outcome(report) == (0, 0, 6, 0)
    assert (Scoop.objects.count(), Tag.objects.count()) == rows


def test_importing_an_edited_file_updates_the_changed_links(topic, curator, tmp_path):
    run(topic, curator, "pinboard.html")
    edited = tmp_path / "pinboard.html"
    text = (FILES / "pinboard.html").read_text(encoding="utf-8")
    edited.write_text(text.replace(">ActivityPub<", ">ActivityPub (W3C)<").replace("TOREAD", "X"))
    report = import_bookmarks(path=edited, kind="html", topic=topic, by=curator)
    assert outcome(report) == (0, 1, 2, 0)
    assert Scoop.objects.filter(title="ActivityPub (W3C)").count() == 1


def test_a_scoop_made_by_hand_is_never_overwritten(topic, curator, make_scoop):
    mine = make_scoop("My own title", url="https://joinmastodon.org/fr", insight="Mine")
    report = run(topic, curator, "firefox.html")
    assert "line 17: the topic already has this article, added by hand" in map(str, report.notices)
    mine.refresh_from_db()
    assert (mine.title, mine.insight_markdown) == ("My own title", "Mine")
    assert Scoop.objects.filter(source_url="https://joinmastodon.org/fr").count() == 1


def test_duplicate_addresses_in_a_file_are_imported_once(topic, curator, tmp_path):
    path = tmp_path / "dupes.html"
    path.write_text(
        "<DL>\n"
        '<DT><A HREF="https://a.example/x?utm_source=feed">First</A>\n'
        '<DT><A HREF="https://a.example/x">Second</A>\n'
        '<DT><A HREF="HTTPS://A.EXAMPLE/x#top">Third</A>\n'
        "</DL>\n"
    )
    report = import_bookmarks(path=path, kind="html", topic=topic, by=curator)
    assert outcome(report) == (1, 0, 2, 0)
    assert [str(n) for n in report.notices] == [
        "line 3: the same address as line 2",
        "line 4: the same address as line 2",
    ]
    assert Scoop.objects.get().title == "First"


def test_bad_dates_and_addresses_fail_with_their_lines_and_the_rest_is_kept(
    topic, curator, tmp_path
):
    path = tmp_path / "bad.html"
    path.write_text(
        "<DL>\n"
        '<DT><A HREF="https://a.example/" ADD_DATE="yesterday">Bad date</A>\n'
        '<DT><A HREF="http://[::1">Bad address</A>\n'
        '<DT><A HREF="https://b.example/" ADD_DATE="1700000000">Good</A>\n'
    )
    report = import_bookmarks(path=path, kind="html", topic=topic, by=curator)
    assert outcome(report) == (1, 0, 0, 2)
    assert str(report.failures[0]) == "line 2: bad date 'yesterday'"
    assert str(report.failures[1]).startswith("line 3: bad address")
    assert Scoop.objects.get().title == "Good"


def test_a_truncated_file_keeps_what_came_before(topic, curator, tmp_path):
    text = (FILES / "chrome.html").read_text(encoding="utf-8")
    path = tmp_path / "cut.html"
    path.write_text(text[: text.index("https://www.touleco.fr/") + 8], encoding="utf-8")
    report = import_bookmarks(path=path, kind="html", topic=topic, by=curator)
    assert outcome(report) == (2, 0, 0, 1)
    assert str(report.failures[0]) == "line 17: the file ends in the middle of a tag"


def test_a_latin1_file_that_claims_utf8_is_read_right(topic, curator, tmp_path):
    path = tmp_path / "latin1.html"
    text = (FILES / "firefox.html").read_text(encoding="utf-8").replace("—", "-")
    path.write_bytes(text.encode("latin-1"))
    report = import_bookmarks(path=path, kind="html", topic=topic, by=curator)
    assert report.created == 4
    assert Scoop.objects.filter(title="Mastodon : un réseau social décentralisé").exists()
    assert Tag.objects.filter(name="réseaux sociaux").exists()


def test_a_latin1_pocket_file_is_detected(topic, curator, tmp_path):
    path = tmp_path / "pocket.csv"
    path.write_bytes((FILES / "pocket.csv").read_text(encoding="utf-8").encode("cp1252"))
    report = import_bookmarks(path=path, kind="pocket", topic=topic, by=curator)
    assert report.created == 3
    assert Scoop.objects.filter(title="Mastodon, le réseau social décentralisé").exists()


def test_a_binary_file_fails_without_crashing(topic, curator, tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(bytes(range(256)) * 40)
    report = import_bookmarks(path=path, kind="pocket", topic=topic, by=curator)
    assert (report.created, report.failed) == (0, 1)


def test_pocket_rows_without_an_address_or_with_a_bad_date_fail_by_line(topic, curator, tmp_path):
    path = tmp_path / "pocket.csv"
    path.write_text(
        "title,url,time_added,tags,status\n"
        "No address,,1700000000,,unread\n"
        "Bad date,https://a.example/,soon,,unread\n"
        '"A title\nover two lines",https://b.example/,1700000000,x,unread\n'
        "Fine,https://c.example/,1700000000,,unread\n"
    )
    report = import_bookmarks(path=path, kind="pocket", topic=topic, by=curator)
    assert [str(f) for f in report.failures] == [
        "line 2: a row without an address (url)",
        "line 3: bad date 'soon'",
    ]
    assert report.created == 2
    assert Scoop.objects.filter(title="A title over two lines").exists()


def test_a_csv_that_is_not_from_pocket_is_refused_at_its_header(topic, curator, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,link\nA,https://a.example/\n")
    report = import_bookmarks(path=path, kind="pocket", topic=topic, by=curator)
    assert [str(f) for f in report.failures] == ["line 1: not a Pocket export: no 'url' column"]


def test_only_curators_import_into_a_topic(topic, make_user):
    with pytest.raises(PermissionDenied):
        run(topic, make_user(), "chrome.html")


def test_topic_for_import_creates_a_missing_topic_for_the_curator(curator):
    topic, by = topic_for_import(slug="my-links", curator=curator)
    assert (topic.title, by) == ("My links", curator)
    assert topic.curators.get().user == curator
    with pytest.raises(ImportFailed, match="name a curator"):
        topic_for_import(slug="other-links", curator=None)


def test_topic_for_import_uses_the_owner_of_an_existing_topic(topic, curator, make_user):
    topic_services.curator_add(topic=topic, by=curator, user=make_user())
    assert topic_for_import(slug=topic.slug, curator=None) == (topic, curator)


def test_every_failure_is_told_but_the_report_keeps_the_first_hundred(topic, curator, tmp_path):
    path = tmp_path / "many.html"
    links = [f'<DT><A HREF="https://a.example/{n}" ADD_DATE="x{n}">{n}</A>\n' for n in range(150)]
    path.write_text("".join(links))
    told = []
    report = ImportReport(listener=lambda kind, error: told.append((kind, error.line)))
    import_bookmarks(path=path, kind="html", topic=topic, by=curator, report=report)
    assert report.failed == 150 and len(report.failures) == 100
    assert len(told) == 150 and told[-1] == ("failure", 150)


def test_imported_links_are_found_by_search(topic, curator):
    run(topic, curator, "firefox.html")
    found = search(q="décentralisé", topic=topic)
    assert [r.scoop.title for r in found.results] == ["Mastodon : un réseau social décentralisé"]
