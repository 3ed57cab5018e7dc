import datetime

import pytest

from veille.analytics.models import DailySalt, VisitorMark
from veille.analytics.tasks import purge_visitor_marks

pytestmark = pytest.mark.django_db


def test_periodic_purge_forgets_yesterdays_visitors(clock):
    yesterday, today = datetime.date(2026, 2, 28), datetime.date(2026, 3, 1)
    for day in (yesterday, today):
        DailySalt.objects.create(day=day, salt=f"salt-{day}")
        VisitorMark.objects.create(day=day, key=f"key-{day}")

    assert purge_visitor_marks.call_local() == 1

    assert list(DailySalt.objects.values_list("day", flat=True)) == [today]
    assert list(VisitorMark.objects.values_list("day", flat=True)) == [today]


def test_purge_runs_every_hour_so_it_follows_local_midnight():
    validate = purge_visitor_marks.task_class().validate_datetime
    assert validate(datetime.datetime(2026, 3, 1, 23, 5))
    assert validate(datetime.datetime(2026, 3, 2, 0, 5))
    assert not validate(datetime.datetime(2026, 3, 2, 0, 6))
