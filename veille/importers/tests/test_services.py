import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from veille.accounts.models import User
from veille.importers import services
from veille.importers.tests.pages import FIRST, HEADER, SECOND, SECOND_LINE, SEED, THIRD
from veille.topics.models import Curator, Role, Scoop, Topic

PARIS = ZoneInfo("Europe/Paris")
MASTODON = "Mastodon, le premier réseau social véritablement social ?"
SKILLER = "Skiller vise 100 000 membres pour fin 2016"


def import_seed(path=SEED, **kwargs) -> services.ImportReport:
    kwargs.setdefault("tz", PARIS)
    return services.import_scoopit(path=path, slug="toulouse-networks", **kwargs)


def page_order(topic: Topic) -> list[str]:
    return list(topic.scoops.order_by("-published_at").values_list("title", flat=True))


def rescoop_by(name: str) -> Scoop:
    return Scoop.objects.select_related("origin", "topic").get(
        curator__display_name=name, origin__isnull=False
    )


@pytest.fixture
def seeded(db) -> services.ImportReport:
    return import_seed()


def test_import_creates_the_topic_with_title_subtitle_and_views(seeded):
    topic = Topic.objects.get(slug="toulouse-networks")
    assert seeded.topic == topic
    assert topic.title == "Toulouse networks"
    assert topic.subtitle == "Networking in Toulouse - Réseautage de la Ville Rose"
    assert topic.imported_views == 44700


def test_import_gives_25_scoops_shown_in_page_order(seeded):
    topic = seeded.topic
    assert (seeded.created, seeded.updated, seeded.skipped, seeded.failed) == (25, 0, 0, 0)
    titles = page_order(topic)
    assert len(titles) == 25
    assert titles[0] == MASTODON
    assert titles[-1] == "Deux Toulousains lancent un réseau social dédié aux chaussures"
    assert titles.index("Skiller") < titles.index(SKILLER)


def test_publication_dates_count_down_from_the_newest_date_on_the_page(seeded):
    first = seeded.topic.scoops.get(title=MASTODON)
    assert first.published_at == dt.datetime(2015, 3, 30, 16, 10, tzinfo=PARIS)
    assert seeded.topic.scoop_count == 25
    assert seeded.topic.last_published_at == first.published_at
    assert first.date_is_estimated  # the page gave no date: pages do not show this one


def test_the_topic_is_curated_by_a_placeholder_for_the_scooped_by_name(seeded):
    jacques = User.objects.get(username="jacques-le-bris")
    assert jacques.display_name == "Jacques Le Bris"
    assert jacques.is_placeholder and not jacques.has_usable_password()
    assert Curator.objects.get(topic=seeded.topic, user=jacques).role == Role.OWNER
    assert set(seeded.topic.scoops.values_list("curator", flat=True)) == {jacques.pk}


def test_exactly_four_scoops_carry_an_insight_by_the_curator(seeded):
    with_insight = seeded.topic.scoops.exclude(insight_markdown="")
    assert with_insight.count() == 4
    skiller = with_insight.get(title="Skiller")
    assert skiller.insight_html == "<p>Des pros comme vous ne les voyez jamais ailleurs</p>"
    toulouse = with_insight.get(title="Toulouse «\u00a0like\u00a0» les réseaux sociaux")
    assert "<li>mon agenda perpétuel toulousain :" in toulouse.insight_html


def test_excerpts_are_sanitized_html_with_lists(seeded):
    figures = seeded.topic.scoops.get(title__startswith="Les 50 chiffres").excerpt_html
    assert figures.startswith("<p>Chaque année, nous publions")
    assert "<ul><li>2,307 milliards de personnes" in figures
    top5 = seeded.topic.scoops.get(title__startswith="Le top 5 des innovations").excerpt_html
    assert '<ol start="2"><li>Les ciseaux sur Snapchat</li></ol>' in top5


def test_curator_insights_become_rescoops_by_placeholder_curators(seeded):
    marie = rescoop_by("Marie Morgane Taupiac")
    assert marie.curator.username == "marie-morgane-taupiac"
    assert marie.curator.is_placeholder and not marie.curator.has_usable_password()
    assert marie.published_at == dt.datetime(2015, 3, 30, 16, 10, tzinfo=PARIS)
    assert marie.date_text == "March 30, 2015 4:10 PM"
    assert marie.origin.title.startswith("8 choses que vous ne savez")
    assert marie.root == marie.origin
    assert marie.excerpt_html == marie.origin.excerpt_html
    assert marie.insight_markdown == (
        "#Toulouse est la 2ème ville de France en terme d’abonnés sur #Twitter !"
    )
    assert (marie.topic.slug, marie.topic.title) == (
        "marie-morgane-taupiac-scoops",
        "Marie Morgane Taupiac's scoops",
    )
    assert marie.topic.scoop_count == 1


def test_yearless_curator_insight_dates_take_the_pages_year(seeded):
    david = rescoop_by("David Ahnine CM")
    assert david.published_at == dt.datetime(2015, 2, 7, 13, 2, tzinfo=PARIS)
    assert david.date_text == "February 7, 1:02 PM"
    assert david.origin.title.startswith("Présidentielle 2017: les candidats")
    patrick = rescoop_by("Patrick Bouillaud")
    assert patrick.published_at == dt.datetime(2015, 1, 12, 8, 42, tzinfo=PARIS)
    assert patrick.insight_markdown == "A prendre au sérieux , ce n'est pas un Joke ...."


def test_year_option_dates_the_yearless_insights_only(db):
    import_seed(year=2017)
    assert rescoop_by("David Ahnine CM").published_at.year == 2017
    assert rescoop_by("Marie Morgane Taupiac").published_at.year == 2015


def test_reimport_creates_no_duplicate(seeded):
    counts = (Scoop.objects.count(), User.objects.count(), Topic.objects.count())
    published = dict(Scoop.objects.values_list("pk", "published_at"))
    report = import_seed()
    assert (report.created, report.updated, report.skipped, report.failed) == (0, 0, 25, 0)
    assert (Scoop.objects.count(), User.objects.count(), Topic.objects.count()) == counts
    assert dict(Scoop.objects.values_list("pk", "published_at")) == published


def test_reimport_updates_an_edited_title_and_excerpt(seeded, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("\nLinkedIn Desktop Redesign\n", "\nLinkedIn desktop redesign!\n", 1)
    text = text.replace("un tout nouveau design présentant", "un design neuf présentant", 1)
    edited = tmp_path / "edited.txt"
    edited.write_text(text, encoding="utf-8")
    before = seeded.topic.scoops.get(title="LinkedIn Desktop Redesign")
    report = import_seed(edited)
    assert (report.created, report.updated, report.skipped) == (0, 1, 24)
    after = Scoop.objects.get(pk=before.pk)
    assert after.title == "LinkedIn desktop redesign!"
    assert "un design neuf présentant" in after.excerpt_html
    assert after.published_at == before.published_at
    assert seeded.topic.scoops.count() == 25


def test_reimport_restores_what_was_edited_in_veille(seeded):
    scoop = seeded.topic.scoops.get(title=SKILLER)
    Scoop.objects.filter(pk=scoop.pk).update(title="Changed", excerpt_html="<p>changed</p>")
    assert import_seed().updated == 1
    scoop.refresh_from_db()
    assert scoop.title == SKILLER and scoop.excerpt_html.startswith("<p>Dédié aux professionnels")


def test_new_scoops_of_a_later_page_keep_the_page_order(db, tmp_path):
    older, later = tmp_path / "older.txt", tmp_path / "later.txt"
    older.write_text(HEADER + SECOND + THIRD, encoding="utf-8")
    later.write_text(HEADER + FIRST + SECOND + THIRD, encoding="utf-8")
    topic = services.import_scoopit(path=older, slug="demo", year=2016).topic
    kept = dict(topic.scoops.values_list("title", "published_at"))
    report = services.import_scoopit(path=later, slug="demo", year=2016)
    assert (report.created, report.skipped) == (1, 2)
    assert page_order(topic) == ["First title", "Second title", "Third title"]
    for title, published_at in kept.items():
        assert topic.scoops.get(title=title).published_at == published_at


def test_comment_counts_are_imported(db, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(HEADER + FIRST + THIRD, encoding="utf-8")
    topic = services.import_scoopit(path=path, slug="demo").topic
    assert topic.scoops.get(title="First title").imported_comment_count == 3
    assert topic.scoops.get(title="Third title").imported_comment_count == 0
    assert topic.imported_views == 1234


def test_malformed_file_reports_the_line_and_keeps_the_valid_scoops(db, tmp_path):
    path = tmp_path / "page.txt"
    broken = SECOND.replace("Scoop.it!\n", "Scoop.it\n")
    path.write_text(HEADER + FIRST + broken + THIRD, encoding="utf-8")
    report = services.import_scoopit(path=path, slug="demo")
    assert [str(f) for f in report.failures] == [
        f"line {SECOND_LINE + 1}: 'Scoop.it!' expected after 'Scooped by'"
    ]
    assert (report.created, report.failed) == (2, 1)
    assert page_order(report.topic) == ["First title", "Third title"]


def test_two_scoops_with_the_same_title_are_both_kept(db, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(HEADER + THIRD + THIRD, encoding="utf-8")
    topic = services.import_scoopit(path=path, slug="demo").topic
    services.import_scoopit(path=path, slug="demo")
    assert topic.scoops.filter(title="Third title").count() == 2


def test_curator_option_curates_the_topic_and_its_scoops(db, make_user):
    jacques = make_user("jacques", display_name="Jacques Le Bris")
    topic = import_seed(curator=jacques).topic
    assert list(topic.curators.values_list("user__username", "role")) == [("jacques", "owner")]
    assert set(topic.scoops.values_list("curator", flat=True)) == {jacques.pk}
    assert not User.objects.filter(username="jacques-le-bris").exists()


def test_an_existing_topic_is_updated_and_the_scoops_curator_added(topic):
    report = import_seed()
    topic.refresh_from_db()
    assert report.topic == topic
    assert topic.subtitle == "Networking in Toulouse - Réseautage de la Ville Rose"
    assert topic.imported_views == 44700
    roles = dict(topic.curators.values_list("user__username", "role"))
    assert roles == {"jacques": "owner", "jacques-le-bris": "editor"}


def test_a_reserved_topic_address_stops_the_import(db):
    with pytest.raises(services.ImportFailed):
        services.import_scoopit(path=SEED, slug="admin")
    assert not Scoop.objects.exists()


def test_load_demo_topic_loads_only_into_an_empty_database(db):
    topic = services.load_demo_topic()
    assert topic.slug == "toulouse-networks" and topic.language == "fr"
    assert topic.scoop_count == 25
    assert topic.curators.get().user.name == "Jacques Le Bris"
    assert services.load_demo_topic() is None
    assert services.load_demo_topic(force=True) == topic
    assert Scoop.objects.filter(topic=topic).count() == 25


def test_load_demo_topic_leaves_a_used_database_alone(topic):
    assert services.load_demo_topic() is None
    assert topic.scoops.count() == 0
