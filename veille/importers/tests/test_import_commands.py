import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veille.sources.models import Source
from veille.topics.models import Scoop, ScoopStatus, Topic

FILES = Path(__file__).parent / "files"
OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
<outline text="Presse"><outline type="rss" text="La Dépêche" xmlUrl="https://www.ladepeche.fr/rss.xml"/>
<outline type="rss" text="Broken"/></outline>
</body></opml>
"""


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_html_creates_the_topic_for_the_curator_and_reports(curator):
    out, err = run(
        "import", "html", str(FILES / "firefox.html"), "--topic", "links", "--curator", "jacques"
    )
    assert (
        out == "Imported into topic “Links” (links): 4 created, 0 updated, 2 skipped, 0 failed.\n"
    )
    assert err.splitlines()[0] == (
        "line 21: not a web page address: place:parent=toolbar_____&sort=8&maxResults=10 (skipped)"
    )
    assert Topic.objects.get(slug="links").scoops.count() == 4


def test_import_html_draft_option(topic):
    run("import", "html", str(FILES / "chrome.html"), "--topic", topic.slug, "--draft")
    assert set(topic.scoops.values_list("status", flat=True)) == {ScoopStatus.DRAFT}


def test_import_pocket_into_an_existing_topic_twice(topic):
    out, _err = run("import", "pocket", str(FILES / "pocket.csv"), "--topic", topic.slug)
    assert "3 created, 0 updated, 0 skipped, 0 failed." in out
    out, _err = run("import", "pocket", str(FILES / "pocket.csv"), "--topic", topic.slug)
    assert "0 created, 0 updated, 3 skipped, 0 failed." in out
    assert Scoop.objects.count() == 3


def test_import_html_shows_progress_on_stderr(topic, tmp_path):
    path = tmp_path / "many.html"
    path.write_text("".join(f'<DT><A HREF="https://a.example/{n}">{n}</A>\n' for n in range(25)))
    _out, err = run("import", "html", str(path), "--topic", topic.slug, "--progress-every", "10")
    assert err.splitlines() == ["10 links…", "20 links…"]


def test_import_html_needs_a_curator_for_a_new_topic(db):
    with pytest.raises(CommandError, match="name a curator"):
        run("import", "html", str(FILES / "chrome.html"), "--topic", "new-links")


def test_import_html_refuses_an_account_that_does_not_curate_the_topic(topic, make_user):
    make_user("stranger")
    with pytest.raises(CommandError, match="Only the curators"):
        run(
            "import",
            "html",
            str(FILES / "chrome.html"),
            "--topic",
            topic.slug,
            "--curator",
            "stranger",
        )


def test_import_html_exits_1_when_a_link_fails(topic, tmp_path):
    path = tmp_path / "bad.html"
    path.write_text('<DT><A HREF="https://a.example/" ADD_DATE="yesterday">A</A>\n')
    with pytest.raises(CommandError) as raised:
        run("import", "html", str(path), "--topic", topic.slug)
    assert raised.value.returncode == 1


def test_import_opml_adds_the_sources_through_the_sources_app(topic, tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):  # the outline without an address is a failure
        call_command(
            "import", "opml", str(path), "--topic", topic.slug, stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue() == "line 4: outline 'Broken': no xmlUrl\n"
    assert Source.objects.get(topic=topic).url == "https://www.ladepeche.fr/rss.xml"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "opml", str(path), "--topic", topic.slug, stdout=out, stderr=io.StringIO()
        )
    assert "0 created, 0 updated, 1 skipped, 1 failed." in out.getvalue()


def test_import_opml_refuses_a_file_that_is_not_opml(topic, tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text("<html></html>")
    with pytest.raises(CommandError, match="not an OPML file"):
        run("import", "opml", str(path), "--topic", topic.slug)
