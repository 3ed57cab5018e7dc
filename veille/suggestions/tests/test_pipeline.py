"""From feeds served on a local server, through the sources poller, to one card per story."""

import datetime as dt
from email.utils import format_datetime

from django.utils import timezone

from veille.sources import poller
from veille.suggestions import selectors
from veille.suggestions.models import Candidate
from veille.suggestions.tests.stories import SAME_STORY


def _rss(outlet: str, items: list[tuple[str, str, str]], *, hours_ago: int) -> str:
    date = format_datetime(timezone.now() - dt.timedelta(hours=hours_ago))
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><description>{summary}</description>"
        f"<pubDate>{date}</pubDate></item>"
        for title, link, summary in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{outlet}</title><link>https://{outlet.lower()}.example.org/</link>{body}"
        "</channel></rss>"
    )


def test_polled_feeds_fill_the_inbox_with_one_card_per_story(local_site, make_source, topic):
    versions = SAME_STORY["mastodon"]
    for number, (outlet, title, summary) in enumerate(versions):
        items = [
            (title, f"https://{outlet.lower().replace(' ', '')}.example.org/mastodon", summary)
        ]
        if number == 0:
            items.append(("Un autre sujet", "https://reuters.example.org/other", "La météo."))
        rss = _rss(outlet, items, hours_ago=5 - number)  # the first outlet published first
        local_site.add(f"/feed-{number}.xml", rss, content_type="application/rss+xml")
        make_source(outlet, url=local_site.url(f"/feed-{number}.xml"))

    report = poller.poll_due(topic=topic, force=True)
    assert report.new_items == len(versions) + 1

    cards = list(selectors.inbox_page(topic=topic))
    assert len(cards) == 2
    story = next(c for c in cards if c.candidate_count == len(versions))
    assert [s.name for s in story.card_sources] == [outlet for outlet, _t, _s in versions]

    again = poller.poll_due(topic=topic, force=True)  # the same feeds: nothing new
    assert again.new_items == 0 and Candidate.objects.count() == len(versions) + 1
