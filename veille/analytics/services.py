"""Counting page views without cookies and without storing addresses.

A visitor is recognised for one day only, by ``HMAC-SHA256(salt of the day, address, user agent,
page)``. The salt is random, kept in the database for the day, and deleted after it (with the
marks) by ``purge_visitor_marks``: from then on nobody, operator included, can tell whether an
address visited a page. See docs/analytics.md.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import connection, transaction
from django.db.models import F

from veille.analytics.bots import is_bot, is_prefetch
from veille.analytics.models import DailySalt, DailyViews, VisitorMark
from veille.analytics.selectors import local_today
from veille.core.request import client_address


def count_view(*, request, topic, scoop=None) -> bool:
    """Count one view of a topic page (or of ``scoop``'s post page); True when it was counted.

    Not counted: other methods than GET (HEAD included), prefetches, bots, and a visitor already
    counted today on this page. Costs 2 queries in the common case (see the tests).
    """
    if request.method != "GET" or is_prefetch(request):
        return False
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if is_bot(user_agent):
        return False
    day = local_today()
    page = f"scoop:{scoop.pk}" if scoop is not None else f"topic:{topic.pk}"
    key = _visitor_key(
        salt=_salt_of(day=day), address=client_address(request), user_agent=user_agent, page=page
    )
    if not _mark_visitor(day=day, key=key):
        return False
    _increment(topic=topic, scoop=scoop, day=day)
    return True


def purge_visitor_marks(*, today: datetime.date | None = None) -> int:
    """Forget the salts and visitor marks of days before ``today``; return the marks deleted."""
    today = today or local_today()
    marks, _by_model = VisitorMark.objects.filter(day__lt=today).delete()
    DailySalt.objects.filter(day__lt=today).delete()
    return marks


# The day's salt as this process last read it, {day: salt}: a counted view then skips a query.
# The database row stays the source of truth, so every process uses the same salt; a new day
# misses here and reads (or creates) that day's row.
_salt_cache: dict[datetime.date, str] = {}


def _salt_of(*, day: datetime.date) -> str:
    if (cached := _salt_cache.get(day)) is not None:
        return cached
    # get_or_create is race-safe here: `day` is unique, so a concurrent first request of the day
    # loses the insert and reads the winner's salt.
    salt, _created = DailySalt.objects.get_or_create(
        day=day, defaults={"salt": secrets.token_hex(32)}
    )
    # Kept once committed: a salt whose insert is rolled back would differ from other processes'.
    transaction.on_commit(lambda: _remember_salt(day=day, salt=salt.salt))
    return salt.salt


def _remember_salt(*, day: datetime.date, salt: str) -> None:
    # One entry: the previous day's salt leaves this process's memory too.
    _salt_cache.clear()
    _salt_cache[day] = salt


def _visitor_key(*, salt: str, address: str, user_agent: str, page: str) -> str:
    message = f"{address}\n{user_agent}\n{page}".encode("utf-8", "replace")
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def _mark_visitor(*, day: datetime.date, key: str) -> bool:
    """Insert the visitor's mark; False when it was already there (seen today on this page).

    Raw SQL because the ORM's ignore_conflicts does not say whether the row was inserted, and
    catching IntegrityError would log an error in PostgreSQL for every returning visitor.
    ON CONFLICT DO NOTHING is understood by SQLite (>= 3.24) and PostgreSQL alike.
    """
    quote = connection.ops.quote_name
    table, day_column, key_column = (
        quote(VisitorMark._meta.db_table),
        quote(VisitorMark._meta.get_field("day").column),
        quote(VisitorMark._meta.get_field("key").column),
    )
    sql = (
        f"INSERT INTO {table} ({day_column}, {key_column}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({key_column}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), key])
        return cursor.rowcount == 1


def _increment(*, topic, scoop, day: datetime.date) -> None:
    """Add one to the page's row of the day, creating it on the day's first view.

    Race-safe without locks: the row is created with count 0, ignoring a conflict with a
    concurrent creation, and every request then adds its own one with an UPDATE.
    """
    rows = DailyViews.objects.filter(topic=topic, scoop=scoop, day=day)
    if rows.update(count=F("count") + 1):
        return
    DailyViews.objects.bulk_create(
        [DailyViews(topic=topic, scoop=scoop, day=day, count=0)], ignore_conflicts=True
    )
    rows.update(count=F("count") + 1)
