"""The French catalogue is complete, compiled, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def catalogue() -> list[dict]:
    """The entries of django.po (obsolete ones left out): msgctxt, msgid, msgid_plural, msgstr
    (a list: one string, or one per plural form) and flags."""
    entries: list[dict] = []
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        entry: dict = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = {}
                break
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
            else:
                word, _space, rest = line.partition(" ")
                key = "msgstr" if word.startswith("msgstr") else word
                if key == "msgstr":
                    entry["msgstr"].append(ast.literal_eval(rest))
                else:
                    entry[key] = ast.literal_eval(rest)
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append(entry)
    return entries


def label(entry: dict) -> str:
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


def test_the_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = catalogue()
    assert len(entries) > 500
    assert [label(e) for e in entries if "fuzzy" in e["flags"]] == []
    assert [label(e) for e in entries if not all(s.strip() for s in e["msgstr"])] == []


def test_translations_keep_their_placeholders():
    wrong = []
    for entry in catalogue():
        singular = PLACEHOLDER.findall(entry["msgid"])
        if entry["msgid_plural"] is None:
            if sorted(PLACEHOLDER.findall(entry["msgstr"][0])) != sorted(singular):
                wrong.append(label(entry))
            continue
        plural = set(PLACEHOLDER.findall(entry["msgid_plural"]))
        first, *others = (set(PLACEHOLDER.findall(msgstr)) for msgstr in entry["msgstr"])
        # French says "%(count)s échec" for 0 and 1 where English says "once"
        if not first <= plural | set(singular) or any(forms != plural for forms in others):
            wrong.append(label(entry))
    assert wrong == []


def test_the_compiled_catalogue_is_up_to_date():
    with (LC_MESSAGES / "django.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for entry in catalogue():
        if entry["msgid_plural"] is not None:
            continue
        if entry["msgctxt"] is not None:
            got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            got = compiled.gettext(entry["msgid"])
        if got != entry["msgstr"][0]:
            stale.append(label(entry))
    assert stale == [], "run `make messages` (or veille compilemessages)"


def test_the_search_page_speaks_french(client, db):
    html = client.get(reverse("search:search"), **FRENCH).content.decode()
    assert '<html lang="fr">' in html
    assert "<summary>Comment rechercher</summary>" in html
    assert '<li><code>"ville rose"</code>\u00a0: ces mots, dans cet ordre.</li>' in html


def test_the_import_page_and_its_counts_speak_french(client, curator, topic):
    from veille.importers.models import ImportJob, JobStatus

    ImportJob.objects.create(
        topic=topic, user=curator, format="html", file="x.html", status=JobStatus.DONE, created=3
    )
    client.force_login(curator)
    html = client.get(reverse("importers:import", args=[topic.slug]), **FRENCH).content.decode()
    assert "<h1>Import et export</h1>" in html
    assert '<th scope="col">Créés</th>' in html
    assert '<th scope="col">Mis à jour</th>' in html


def test_the_token_and_account_settings_speak_french(client, curator):
    from veille.api import services

    services.token_create(user=curator, name="script", scope="read")
    client.force_login(curator)
    html = client.get(reverse("api:tokens"), **FRENCH).content.decode()
    assert '<th scope="col">Créé le</th>' in html
    assert '<th scope="col">Dernière utilisation</th>' in html
    html = client.get(reverse("accounts:settings"), **FRENCH).content.decode()
    assert "Télécharger mon compte (JSON)" in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_two_created_columns_differ_in_french_only(client, curator, topic, language):
    from veille.api import services
    from veille.importers.models import ImportJob

    services.token_create(user=curator, name="script", scope="read")
    ImportJob.objects.create(topic=topic, user=curator, format="html", file="x.html")
    client.force_login(curator)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    tokens = client.get(reverse("api:tokens"), **headers).content.decode()
    imports = client.get(reverse("importers:import", args=[topic.slug]), **headers)
    created = {"en": ("Created", "Created"), "fr": ("Créé le", "Créés")}[language]
    assert f'<th scope="col">{created[0]}</th>' in tokens
    assert f'<th scope="col">{created[1]}</th>' in imports.content.decode()
