"""`veille search QUERY [--topic SLUG] [--json]`: the same engine and ranking as the page."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from veille.search import selectors


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("search", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_gives_one_result_per_line_in_the_page_order(corpus, settings):
    settings.BASE_URL = "https://veille.example"
    out, _err = _run("ecole", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    page = selectors.search(q="ecole")
    assert [line["id"] for line in lines] == [r.scoop.pk for r in page.results]
    first, best = lines[0], page.results[0]
    assert set(first) == {"id", "url", "title", "topic", "score", "snippet"}
    assert first["url"] == "https://veille.example" + best.scoop.get_absolute_url()
    assert (first["title"], first["topic"]) == (best.scoop.title, best.scoop.topic.slug)
    assert first["score"] == pytest.approx(best.score, abs=1e-5)
    assert first["snippet"] == str(best.snippet_html)


def test_topic_option_searches_one_topic(corpus):
    out, _err = _run("ecole", "--topic", "villes", "--json")
    assert [json.loads(line)["topic"] for line in out.splitlines()] == ["villes"]


def test_human_output_lists_titles_addresses_and_plain_snippets(corpus):
    out, err = _run("ville rose")
    assert "Un réseau de bibliothèques" in out and "/topic/villes/" in out
    assert "<mark>" not in out and "médiathèques" in out
    assert "1 found" in err


def test_errors_of_the_query_go_to_stderr(corpus):
    out, err = _run("ecole after:someday", "--json")
    assert "after:someday" in err and len(out.splitlines()) == 3


@pytest.mark.parametrize("args", [(), ("ecole", "--rebuild")])
def test_a_query_or_rebuild_is_required_not_both(db, args):
    with pytest.raises(CommandError):
        call_command("search", *args)
