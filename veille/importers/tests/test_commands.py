import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veille.importers.tests.pages import FIRST, HEADER, SECOND, SECOND_LINE, SEED, THIRD
from veille.topics.models import Scoop, Topic


@pytest.fixture(autouse=True)
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def malformed(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(
        HEADER + FIRST + SECOND.replace("Scoop.it!\n", "Scoopit\n") + THIRD, encoding="utf-8"
    )
    return path


def test_import_scoopit_prints_a_summary(db):
    out, err = run("import", "scoopit", str(SEED), "--topic", "toulouse-networks")
    assert out == (
        "Imported into topic “Toulouse networks” (toulouse-networks): 25 created, "
        "0 updated, 0 skipped, 0 failed.\n"
    )
    assert err == ""
    assert Topic.objects.get(slug="toulouse-networks").scoops.count() == 25


def test_import_scoopit_again_reports_skipped_scoops(db):
    run("import", "scoopit", str(SEED), "--topic", "toulouse-networks")
    out, _err = run("import", "scoopit", str(SEED), "--topic", "toulouse-networks")
    assert "0 created, 0 updated, 25 skipped, 0 failed." in out
    assert Scoop.objects.filter(topic__slug="toulouse-networks").count() == 25


def test_import_scoopit_shows_progress_on_stderr(db):
    _out, err = run("import", "scoopit", str(SEED), "--topic", "t", "--progress-every", "10")
    assert err.splitlines() == ["10 scoops…", "20 scoops…"]


def test_import_scoopit_year_option_dates_yearless_insights(db):
    run("import", "scoopit", str(SEED), "--topic", "t", "--year", "2017")
    david = Scoop.objects.get(curator__username="david-ahnine-cm")
    assert (david.published_at.year, david.date_text) == (2017, "February 7, 1:02 PM")


def test_import_scoopit_exits_1_and_names_each_failing_line(db, malformed):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", "scoopit", str(malformed), "--topic", "demo", stdout=out, stderr=err)
    assert raised.value.returncode == 1
    assert str(raised.value) == "1 item failed."
    assert err.getvalue() == f"line {SECOND_LINE + 1}: 'Scoop.it!' expected after 'Scooped by'\n"
    assert "2 created, 0 updated, 0 skipped, 1 failed." in out.getvalue()
    assert Topic.objects.get(slug="demo").scoops.count() == 2


def test_import_scoopit_curator_option_names_an_existing_account(db, make_user):
    make_user("ann")
    run("import", "scoopit", str(SEED), "--topic", "t", "--curator", "ann")
    assert Topic.objects.get(slug="t").curators.get().user.username == "ann"
    with pytest.raises(CommandError, match="No account named nobody"):
        run("import", "scoopit", str(SEED), "--topic", "t", "--curator", "nobody")


def test_import_scoopit_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import", "scoopit", str(tmp_path / "missing.txt"), "--topic", "t")


def test_import_needs_a_known_format(db):
    with pytest.raises(CommandError, match="invalid choice: 'nope'"):
        run("import", "nope", str(SEED))


def test_load_demo_loads_into_an_empty_database_only(db):
    out, _err = run("load_demo")
    assert "topic “Toulouse networks” (toulouse-networks): 25 created" in out
    out, _err = run("load_demo")
    assert out.startswith("The database already has topics")
    out, _err = run("load_demo", "--force")
    assert "0 created, 0 updated, 25 skipped, 0 failed." in out
    assert Scoop.objects.filter(topic__slug="toulouse-networks").count() == 25


def test_veille_import_exits_with_status_1_when_a_scoop_fails(tmp_path, malformed):
    # the real program, on its own database in a temporary data directory
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env["VEILLE_DATA_DIR"] = str(tmp_path / "data")
    veille = [sys.executable, "-m", "veille"]
    subprocess.run([*veille, "migrate", "-v0"], env=env, check=True, timeout=120)
    done = subprocess.run(
        [*veille, "import", "scoopit", str(malformed), "--topic", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "2 created, 0 updated, 0 skipped, 1 failed." in done.stdout
    assert f"line {SECOND_LINE + 1}: 'Scoop.it!' expected after 'Scooped by'" in done.stderr
