import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veille.importers.export import FORMATS
from veille.importers.jobs import import_jobs_expire, uploads_dir
from veille.importers.models import ImportJob, JobStatus
from veille.importers.selectors import account_scope, topic_scope
from veille.importers.tests.pages import SEED
from veille.topics import services
from veille.topics.models import Scoop

pytestmark = pytest.mark.urls("veille.importers.tests.urls")
FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def logged_in(client, curator):
    client.force_login(curator)
    return client


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type="text/html")


def post_import(client, topic, name, fmt, callbacks):
    with callbacks(execute=True):
        return client.post(
            reverse("importers:import", args=[topic.slug]), {"format": fmt, "file": upload(name)}
        )


def test_import_page_shows_the_form_and_the_export_links(logged_in, topic):
    response = logged_in.get(reverse("importers:import", args=[topic.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    for name in FORMATS:
        assert reverse("importers:export", args=[topic.slug, name]) in page


def test_only_curators_see_the_import_page(client, topic, make_user):
    url = reverse("importers:import", args=[topic.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "html", "file": upload("chrome.html")}).status_code == 403
    assert not ImportJob.objects.exists()


def test_an_upload_runs_as_a_job_and_its_report_is_shown(
    logged_in, topic, curator, data_dir, django_capture_on_commit_callbacks
):
    response = post_import(
        logged_in, topic, "firefox.html", "html", django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("importers:job", args=[topic.slug, job.pk])
    assert (job.status, job.user, job.file_name) == (JobStatus.DONE, curator, "firefox.html")
    assert (job.created, job.skipped, job.failed, job.progress) == (4, 2, 0, 6)
    assert job.started_at <= job.finished_at
    assert Scoop.objects.filter(topic=topic).count() == 4
    assert not list((data_dir / "imports").iterdir())  # the upload is removed
    page = logged_in.get(response.url).content.decode()
    assert "Done." in page and "line 21: not a web page address" in page
    assert 'http-equiv="refresh"' not in page and "hx-trigger" not in page


def test_a_job_that_cannot_run_says_why(logged_in, topic, django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile("feeds.opml", b"<html>not opml</html>", content_type="text/xml")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(
            reverse("importers:import", args=[topic.slug]), {"format": "opml", "file": bad}
        )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "not an OPML file" in job.message
    page = logged_in.get(reverse("importers:job", args=[topic.slug, job.pk])).content.decode()
    assert "The import could not run." in page and "not an OPML file" in page


def test_failures_are_listed_with_their_lines(logged_in, topic, django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile(
        "bad.csv", b"title,url,time_added\nA,https://a.example/,soon\n", content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(
            reverse("importers:import", args=[topic.slug]), {"format": "pocket", "file": bad}
        )
    job = ImportJob.objects.get()
    assert (job.status, job.failed, job.errors) == (JobStatus.DONE, 1, ["line 2: bad date 'soon'"])


def test_a_running_job_page_polls_with_htmx_and_refreshes_without_js(logged_in, topic, curator):
    job = ImportJob.objects.create(
        topic=topic,
        user=curator,
        format="html",
        file="x.html",
        file_name="x.html",
        status=JobStatus.RUNNING,
        progress=1234,
    )
    url = reverse("importers:job", args=[topic.slug, job.pk])
    page = logged_in.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'hx-trigger="every 2s"' in page and "1234 items handled" in page
    partial = logged_in.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="job-status"') and "<html" not in partial


def test_a_job_of_another_topic_is_not_found(logged_in, topic, curator):
    other = services.topic_create(by=curator, title="Other", slug="other")
    job = ImportJob.objects.create(
        topic=other, user=curator, format="html", file="x", file_name="x"
    )
    assert logged_in.get(reverse("importers:job", args=[topic.slug, job.pk])).status_code == 404


def test_the_import_page_lists_jobs_in_a_constant_number_of_queries(logged_in, topic, curator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get(reverse("importers:import", args=[topic.slug])).status_code == 200
        return len(captured)

    def add_jobs(count: int) -> None:
        for n in range(count):
            ImportJob.objects.create(
                topic=topic, user=curator, format="html", file=f"{n}", file_name=f"file{n}.html"
            )

    add_jobs(2)
    few = queries()
    add_jobs(12)
    assert queries() == few


def test_curators_download_a_streamed_export(logged_in, topic, make_scoop):
    make_scoop("A scoop", url="https://example.org/a", insight="Mine")
    response = logged_in.get(reverse("importers:export", args=[topic.slug, "json"]))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode()
    assert body == "".join(FORMATS["json"].lines(topic_scope(topic=topic)))
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="toulouse-networks.veille.jsonl"'
    )
    csv = logged_in.get(reverse("importers:export", args=[topic.slug, "csv"]))
    assert b"https://example.org/a,A scoop" in b"".join(csv.streaming_content)


def test_others_cannot_download_a_topic(client, topic, make_user):
    url = reverse("importers:export", args=[topic.slug, "json"])
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    client.force_login(topic.curators.get().user)
    assert client.get(reverse("importers:export", args=[topic.slug, "pdf"])).status_code == 404


def test_people_download_their_own_account_only(client, curator, topic, make_user):
    url = reverse("importers:account_export", args=[curator.username])
    client.force_login(curator)
    response = client.get(url)
    body = b"".join(response.streaming_content).decode()
    assert body == "".join(FORMATS["json"].lines(account_scope(user=curator)))
    assert '"slug":"toulouse-networks"' in body
    client.force_login(make_user())
    assert client.get(url).status_code == 403


def test_a_job_left_by_a_lost_worker_is_marked_failed(topic, curator, data_dir):
    uploads_dir().mkdir()
    (uploads_dir() / "old.html").write_text("<DL>")
    old = ImportJob.objects.create(
        topic=topic,
        user=curator,
        format="html",
        file="old.html",
        file_name="old.html",
        status=JobStatus.RUNNING,
    )
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=7))
    fresh = ImportJob.objects.create(topic=topic, user=curator, format="html", file="new.html")
    assert import_jobs_expire() == 1
    old.refresh_from_db()
    assert old.status == JobStatus.FAILED and "interrupted" in old.message
    assert not (uploads_dir() / "old.html").exists()
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.PENDING


def test_a_scoopit_page_uploaded_by_a_curator_is_imported_into_the_topic(
    logged_in, topic, curator, django_capture_on_commit_callbacks
):
    page = SimpleUploadedFile("page.txt", SEED.read_bytes(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(
            reverse("importers:import", args=[topic.slug]), {"format": "scoopit", "file": page}
        )
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.failed) == (JobStatus.DONE, 25, 0)
    assert topic.scoops.filter(curator=curator).count() == 25
