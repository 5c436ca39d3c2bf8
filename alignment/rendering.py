"""Markdown to safe HTML: rendered with `markdown`, then sanitised with nh3.

nh3 drops <script>/<style> with their content, every on* event handler and any link or
image whose scheme is not in URL_SCHEMES (so javascript: and data: URLs vanish).
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return mark_safe(nh3.clean(html, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"))  # noqa: S308
