"""Background work of the importers. Thin: the job's id in, the service does the rest."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from veille.importers import jobs


@db_task()
def run_import_job(job_id: int) -> None:
    jobs.import_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="17"))
def expire_import_jobs() -> int:
    return jobs.import_jobs_expire()
