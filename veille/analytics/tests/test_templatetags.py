import pytest
from django.template import Context, Template
from django.utils import translation

from veille.analytics.templatetags.analytics import compact


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (950, "950"),
        (999, "999"),
        (1000, "1K"),
        (1050, "1.1K"),
        (44_700, "44.7K"),
        (44_749, "44.7K"),
        (999_949, "999.9K"),
        (999_950, "1M"),
        (1_200_000, "1.2M"),
        (3_000_000_000, "3B"),
        ("44700", "44.7K"),
    ],
)
def test_compact_shortens_large_counts(value, text):
    with translation.override("en"):
        assert compact(value) == text


def test_compact_leaves_what_is_not_a_number():
    assert compact("many") == "many"
    assert compact(None) is None


def test_compact_uses_the_decimal_separator_of_the_language():
    with translation.override("fr"):
        assert compact(44_700).startswith("44,7")


def test_compact_is_available_in_templates():
    rendered = Template("{% load analytics %}{{ views|compact }}").render(
        Context({"views": 1_200_000})
    )
    assert rendered == "1.2M"
