"""Dates: the machine-readable ones pages declare, and the written ones a byline shows.

htmldate (inside trafilatura) runs in its fast mode only: its extensive mode hands French text to
dateparser, which loaded every locale on its first call (5 s here) and then read "un mois d'août"
as 1 August. Bylines in French and English are read here instead, with their year required.
"""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier janv january jan",
            "février fevrier févr fevr february feb",
            "mars march mar",
            "avril avr april apr",
            "mai may",
            "juin june jun",
            "juillet juil july jul",
            "août aout august aug",
            "septembre sept september sep",
            "octobre oct october",
            "novembre nov november",
            "décembre decembre déc dec december",
        ],
        start=1,
    )
    for name in names.split()
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+" + _MONTH + r"\s+(\d{4})\b", re.IGNORECASE
)
MONTH_DAY_YEAR = re.compile(
    r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.IGNORECASE
)
BYLINE_CHARS = 1500


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 to an aware datetime; a date without a zone is taken as UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def written_date(text: str, *, latest: datetime | None = None) -> datetime | None:
    """The first full written date ("20 août 2024", "March 3, 2024") near the top of ``text``."""
    head = text[:BYLINE_CHARS]
    found = []
    for match in DAY_MONTH_YEAR.finditer(head):
        found.append((match.start(), match.group(1), match.group(2), match.group(3)))
    for match in MONTH_DAY_YEAR.finditer(head):
        found.append((match.start(), match.group(2), match.group(1), match.group(3)))
    latest = latest or datetime.now(UTC)
    for _position, day, month, year in sorted(found):
        try:
            date = datetime(int(year), MONTHS[month.lower()], int(day), tzinfo=UTC)
        except ValueError:
            continue
        if 1990 <= date.year and date <= latest:
            return date
    return None
