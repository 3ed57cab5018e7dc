"""Import of 100,000 bookmarks: time and peak memory, on SQLite.

    .venv/bin/python bench/import.py [--count 100000] [--tracemalloc]

Writes a Netscape bookmark file of ``--count`` links (nested folders, tags, notes, one link in
fifty private, one in a hundred a duplicate address) to a throw-away data directory, imports it
into a new topic with ``veille import html``'s service, then imports it again (every link is
skipped: the import is idempotent). Memory is the process's peak resident size
(``ru_maxrss``), which includes Django and the interpreter, before and after; with
``--tracemalloc`` the Python allocations' peak is measured too (it slows the run about threefold).
Then the topic is exported to Veille JSON and that file imported into another instance's
tables (``flush``), with the same figures. Prints one line per figure (copy them into
bench/README.md).
"""

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

DATA_DIR = Path(tempfile.mkdtemp(prefix="veille-bench-"))
os.environ["VEILLE_DATA_DIR"] = str(DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from veille.accounts.models import User  # noqa: E402
from veille.importers.bookmarks import import_bookmarks  # noqa: E402
from veille.importers.export import FORMATS  # noqa: E402
from veille.importers.jsonimport import import_json  # noqa: E402
from veille.importers.selectors import topic_scope  # noqa: E402
from veille.topics import services  # noqa: E402
from veille.topics.models import Scoop  # noqa: E402

HEAD = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
"""
PER_FOLDER = 500


def write_bookmarks(path: Path, count: int) -> None:
    """A realistic export: folders of 500 links, two levels deep, written as it goes."""
    with open(path, "w", encoding="utf-8") as file:
        file.write(HEAD)
        for n in range(count):
            if n % PER_FOLDER == 0:
                if n:
                    file.write("    </DL><p>\n</DL><p>\n")
                file.write(
                    f'<DT><H3 ADD_DATE="1690000000">Dossier {n // PER_FOLDER}</H3>\n<DL><p>\n'
                )
                file.write(f"    <DT><H3>Sous-dossier {n % 7}</H3>\n    <DL><p>\n")
            address = n - 1 if n % 100 == 99 else n  # one in a hundred: a duplicate address
            private = ' PRIVATE="1"' if n % 50 == 0 else ""
            file.write(
                f'        <DT><A HREF="https://example.org/articles/{address}?utm_source=rss" '
                f'ADD_DATE="{1600000000 + n * 60}"{private} TAGS="veille,tag{n % 40}">'
                f"Article numéro {n} sur les réseaux sociaux à Toulouse</A>\n"
            )
            if n % 3 == 0:
                file.write(f"        <DD>Une note sur l'article {n}, avec *un peu* de Markdown.\n")
        file.write("    </DL><p>\n</DL><p>\n</DL><p>\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measured(label: str, run, use_tracemalloc: bool):
    before = peak_rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    line = (
        f"{label}: {seconds:.1f} s, peak RSS {before:.0f} MB before, {peak_rss_mb():.0f} MB after"
    )
    if use_tracemalloc:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f", tracemalloc peak {peak / 2**20:.1f} MB"
    print(line, flush=True)
    return result


def counts(report) -> str:
    return (
        f"created {report.created}, updated {report.updated}, skipped {report.skipped}, "
        f"failed {report.failed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    print(f"{platform.machine()}, Python {platform.python_version()}, SQLite, {args.count} links")
    call_command("migrate", verbosity=0)
    path = DATA_DIR / "bookmarks.html"
    write_bookmarks(path, args.count)
    print(f"bookmark file: {path.stat().st_size / 2**20:.1f} MB")
    curator = User.objects.create_user("bench")
    topic = services.topic_create(by=curator, title="Bench bookmarks", slug="bench-bookmarks")

    def bookmarks():
        return import_bookmarks(path=path, kind="html", topic=topic, by=curator)

    print("  " + counts(measured("import html", bookmarks, args.tracemalloc)))
    print("  " + counts(measured("import html again", bookmarks, args.tracemalloc)))
    exported = DATA_DIR / "topic.jsonl"

    def export_json():
        with open(exported, "w", encoding="utf-8") as file:
            file.writelines(FORMATS["json"].lines(topic_scope(topic=topic)))

    measured("export json", export_json, args.tracemalloc)
    print(f"json file: {exported.stat().st_size / 2**20:.1f} MB")
    call_command("flush", interactive=False, verbosity=0)
    report = measured("import json", lambda: import_json(path=exported), args.tracemalloc)
    print("  " + counts(report) + f"; {Scoop.objects.count()} scoops")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
