"""Imports started from the web: the upload is kept under VEILLE_DATA_DIR/imports/, an
``ImportJob`` row tracks it, and a task runs it (tasks are thin: they take the job's id).

The job's row is updated as the import goes (items handled, counts), at most every
``PROGRESS_SECONDS``, so that the progress page has something to show without slowing the import;
at the end it holds the report (the first 100 failures and notices, with their lines) and the
upload is removed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.importers import services
from veille.importers.bookmarks import import_bookmarks
from veille.importers.models import ImportFormat, ImportJob, JobStatus
from veille.importers.opml import import_opml
from veille.importers.report import ImportFailed, ImportReport
from veille.topics.models import Topic
from veille.topics.permissions import require_curator

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
PROGRESS_SECONDS = 1.0
# A job still running after this long lost its worker (a restart): it is marked failed, so that
# its page stops waiting. The largest imports measured take well under an hour.
STALE_AFTER = dt.timedelta(hours=6)


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def import_job_create(
    *, topic: Topic, by: User, format: str, upload: UploadedFile, draft: bool = False
) -> ImportJob:
    """Keep the upload and queue its import into ``topic`` (``by`` must curate it)."""
    require_curator(by, topic)
    if format not in ImportFormat.values:
        raise ValidationError({"format": _("Choose a format.")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("This file is too large (200 MB at most).")})
    uploads_dir().mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{format}"
    with open(uploads_dir() / name, "wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    job = ImportJob.objects.create(
        topic=topic, user=by, format=format, draft=draft, file=name, file_name=upload.name[:200]
    )
    from veille.importers.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job(job.pk))
    return job


def _run(job: ImportJob, report: ImportReport, on_progress) -> None:
    require_curator(job.user, job.topic)  # curators can leave a topic between upload and run
    path = uploads_dir() / job.file
    if job.format in (ImportFormat.HTML, ImportFormat.POCKET):
        import_bookmarks(
            path=path,
            kind=job.format,
            topic=job.topic,
            by=job.user,
            draft=job.draft,
            report=report,
            on_progress=on_progress,
        )
    elif job.format == ImportFormat.OPML:
        import_opml(path=path, topic=job.topic, by=job.user, report=report)
    else:
        services.import_scoopit(
            path=path,
            slug=job.topic.slug,
            curator=job.user,
            language=job.topic.language,
            report=report,
            on_progress=on_progress,
        )


def _counts(report: ImportReport) -> dict:
    return {
        "progress": report.done,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "failed": report.failed,
    }


def _progress_writer(job: ImportJob, report: ImportReport):
    last = [time.monotonic()]

    def write(done: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_SECONDS:
            last[0] = time.monotonic()
            ImportJob.objects.filter(pk=job.pk).update(**_counts(report))

    return write


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a waiting job; a job already started (a task delivered twice) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("topic", "user").get(pk=job_id)
    report, status, message = ImportReport(), JobStatus.DONE, ""
    try:
        _run(job, report, _progress_writer(job, report))
    except (ImportFailed, PermissionDenied, OSError) as exc:
        status, message = JobStatus.FAILED, str(exc)
    except Exception:
        log.exception("import job %s failed", job_id)
        status, message = JobStatus.FAILED, _("The import stopped on an unexpected error.")
    finally:
        (uploads_dir() / job.file).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        message=message,
        errors=[str(f) for f in report.failures],
        notices=[str(n) for n in report.notices],
        finished_at=timezone.now(),
        **_counts(report),
    )
    job.refresh_from_db()
    return job


def import_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs whose worker went away (waiting or running for too long)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = ImportJob.objects.filter(
        status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__lt=cutoff
    )
    count = 0
    for job in stale.only("pk", "file"):
        (uploads_dir() / job.file).unlink(missing_ok=True)
        count += ImportJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.PENDING, JobStatus.RUNNING]
        ).update(
            status=JobStatus.FAILED,
            message=_("The import was interrupted. Send the file again: nothing is duplicated."),
            finished_at=timezone.now(),
        )
    return count
