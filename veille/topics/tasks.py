"""Background jobs of topics. Thin: they take ids, reload rows and call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from veille.topics import services


@db_task(retries=3, retry_delay=30)
def publish_scheduled_scoop(scoop_id: int) -> bool:
    return services.scoop_publish_if_due(scoop_id=scoop_id)


@db_periodic_task(crontab(minute="*"))
def publish_due_scoops() -> int:
    """Safety net: a scheduled scoop is published even if its own task was lost."""
    return services.scoops_publish_due()
