from django import template

from veille.core.sanitize import html_to_text

register = template.Library()


@register.filter
def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, to be printed escaped: a feed's markup is never trusted."""
    return html_to_text(fragment)
