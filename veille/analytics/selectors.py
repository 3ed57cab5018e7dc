"""Reading view counts."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from veille.analytics.models import DailyViews


@dataclass(frozen=True, slots=True)
class ViewStats:
    total: int
    today: int


def local_today() -> datetime.date:
    """Today in the instance's time zone (settings.TIME_ZONE), whatever zone a request activated.

    Days of counting, of the "+N today" figure and of the purge all follow this one calendar.
    """
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


def view_stats(*, topic=None, scoop=None) -> ViewStats:
    """Views of a post page (when ``scoop`` is given) or of a topic page, in one query.

    A topic page's total starts from ``topic.imported_views``, the counter of the page it was
    imported from; post pages are counted apart and not included.
    """
    if scoop is not None:
        rows, imported = DailyViews.objects.filter(scoop=scoop), 0
    elif topic is not None:
        rows, imported = DailyViews.objects.filter(topic=topic, scoop=None), topic.imported_views
    else:
        raise TypeError("view_stats() needs a topic or a scoop")
    sums = rows.aggregate(
        total=Sum("count", default=0),
        today=Sum("count", filter=Q(day=local_today()), default=0),
    )
    return ViewStats(total=imported + sums["total"], today=sums["today"])
