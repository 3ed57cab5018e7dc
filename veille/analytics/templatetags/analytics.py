"""Template filters for view counts: ``{% load analytics %}``."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

# Smallest first; the suffixes are translatable ("k", "M", "Md" in French, say).
_UNITS = (
    (1_000, lambda number: _("%(number)sK") % {"number": number}),
    (1_000_000, lambda number: _("%(number)sM") % {"number": number}),
    (1_000_000_000, lambda number: _("%(number)sB") % {"number": number}),
)


@register.filter
def compact(value):
    """44700 -> "44.7K", 1200000 -> "1.2M", 950 -> "950"; one decimal, localized separator.

    Rounds half up to a tenth and moves to the next unit when rounding reaches it (999950 ->
    "1M", not "1000K"). Anything that is not a whole number is returned unchanged.
    """
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    sign, number = ("-" if number < 0 else ""), abs(number)
    if number < 1000:
        return sign + number_format(number)
    tenths, label = _scaled(number)
    return sign + label(_tenths_text(tenths))


def _scaled(number: int):
    """Tenths of the smallest unit that keeps them under 1000.0, and that unit's label."""
    *smaller, (largest, largest_label) = _UNITS
    for unit, label in smaller:
        if _tenths(number, unit) < 10_000:
            return _tenths(number, unit), label
    return _tenths(number, largest), largest_label


def _tenths(number: int, unit: int) -> int:
    return (number * 10 + unit // 2) // unit  # rounded half up


def _tenths_text(tenths: int) -> str:
    if tenths % 10 == 0:
        return number_format(tenths // 10)
    return number_format(Decimal(tenths) / 10, decimal_pos=1)
