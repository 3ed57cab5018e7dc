"""Background work of federation. Thin: ids in, a service call."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from veille.federation import delivery, processing


@db_task(retries=2, retry_delay=30)
def process_inbox_message(message_id: int) -> str | None:
    return processing.process_message(message_id=message_id)


@db_task()
def deliver_due() -> int:
    """Send what is due now (queued when an activity is recorded)."""
    return delivery.deliver_due()


@db_periodic_task(crontab(minute="*"))
def deliver_retries() -> int:
    """Retries come due over time: send them every minute."""
    return delivery.deliver_due()


@db_periodic_task(crontab(minute="*/5"))
def process_waiting_messages() -> int:
    """Safety net: messages whose task was lost are handled all the same."""
    return processing.process_waiting()
