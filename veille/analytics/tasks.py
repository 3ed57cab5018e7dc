"""Background jobs of analytics. Thin: they call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from veille.analytics import services


# Every hour at :05 rather than once a day: the queue's crontab runs on UTC, not on
# settings.TIME_ZONE, so an hourly run is what lands shortly after local midnight in every zone,
# and a worker that was down at midnight catches up within the hour. When nothing is older than
# today, the run is two DELETEs that find no row.
@db_periodic_task(crontab(minute="5"))
def purge_visitor_marks() -> int:
    """Forget yesterday's salts and visitor marks so that yesterday's visitors stay unknown."""
    return services.purge_visitor_marks()
