"""What of an insight is embedded, and how: its title, its body as plain text (Markdown
rendered and stripped) and its evidence quote, lowercased before the model sees it.

Lowercasing: the model's tokenizer is case-sensitive and a title's capitals carry no topic;
on the labelled set it raises precision@3 from 0.58 to 0.60 (tests/evaluation/text_model/).
Every caller that embeds an insight (the stored vectors, a text typed in the form, the
evaluation) goes through `embed_texts` so they compare like with like.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from django.utils.html import strip_tags

from research.markdown import render_markdown
from research.semantic import model

if TYPE_CHECKING:
    import numpy as np

# The fields whose change makes an insight's stored vector stale.
EMBEDDED_FIELDS = frozenset({"title", "body", "evidence"})
# What a similarity lookup embeds at most: a form being typed is not a document to index.
MAX_QUERY_CHARS = 5000


def markdown_to_text(text: str) -> str:
    if not text or not text.strip():
        return ""
    return html.unescape(strip_tags(render_markdown(text))).strip()


def compose_text(title: str = "", body: str = "", evidence: str = "") -> str:
    """Title, body (Markdown stripped) and evidence quote, one per line, blanks left out."""
    parts = [(title or "").strip(), markdown_to_text(body), (evidence or "").strip()]
    return "\n".join(part for part in parts if part)


def insight_text(insight) -> str:
    return compose_text(insight.title, insight.body, insight.evidence)


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit-length float32 rows (zero rows for empty texts), as stored for insights."""
    return model.embed([text.lower() for text in texts])


def text_hash(text: str) -> str:
    """Which text (under which model version) a stored vector was computed from."""
    return model.text_hash(text)
