"""Markdown to sanitized HTML, done once when content is saved (render once, read many)."""

from markdown_it import MarkdownIt

from veille.core.sanitize import clean_html


def render_markdown(source: str) -> str:
    """Render CommonMark (with tables and strikethrough, raw HTML disabled) and sanitize it.

    A parser is built per call: MarkdownIt instances keep state and are not shared across threads.
    """
    if not source or not source.strip():
        return ""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    parser.enable(["table", "strikethrough"])
    return clean_html(parser.render(source))
