import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from research.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown rendered and sanitised with nh3 (research/markdown.py)."""
    return render_markdown(text)


@register.filter
def highlight(snippet: str, query: str = ""):
    """A search snippet, escaped, with only its <mark> highlights kept as markup.

    PostgreSQL's SearchHeadline marks the matches itself; on SQLite the query is marked here.
    """
    text = escape(snippet or "")
    if "&lt;mark&gt;" in text:
        text = text.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    elif query:
        pattern = re.compile(re.escape(escape(query.strip())), re.IGNORECASE)
        text = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", text)
    return mark_safe(text)  # noqa: S308 - everything but <mark> was escaped above


@register.filter
def verbose_name(instance) -> str:
    return instance._meta.verbose_name
