"""Snippets, cut in Python from the matched text as a reader sees it: Markdown is stripped,
everything is HTML-escaped and only the matched words (or the words a typo stands for) are
wrapped in <mark>."""

from __future__ import annotations

import difflib
import html
import re

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from alignment.search.query import TYPO_SCOPE
from alignment.search.query import WORD

SNIPPET_LENGTH = 220
SUFFIXES = ("ing", "ed", "es", "s", "ly", "er")

_MARKDOWN = [
    (re.compile(r"^\s{0,3}(?:`{3,}|~{3,}).*$", re.M), ""),  # code fences
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"^\s{0,3}\[[^\]\n]+\]:.*$", re.M), ""),  # link definitions
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^(?:\s{0,3}>)+\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?", re.M), ""),  # list items
    (re.compile(r"^\s{0,3}(?:[-*_=]\s*){3,}$", re.M), ""),  # rules, setext underlines
    (re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?)?\s*$", re.M), ""),  # table rules
    (re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^\n*]*?\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)([^\n_]*?\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)([^\n]*?\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`+"), ""),  # code spans
    (re.compile(r"\s*\|\s*"), " "),  # table cells
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # escapes
]
SNIPPET_WINDOW = 600  # characters of the source a snippet is cut from (bounds the work)


def strip_markdown(text: str) -> str:
    """Markdown source -> the text a reader sees (approximately: no markup, no URLs)."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _word_pattern(words) -> re.Pattern | None:
    stems = sorted({_stem(word) for word in words if word}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.I)


def _typo_pattern(words, text: str) -> re.Pattern | None:
    """The words of `text` that look like a typo of a query word (pg_trgm found them)."""
    candidates = {word.lower() for word in WORD.findall(text[:TYPO_SCOPE]) if len(word) >= 4}
    found = set()
    for word in words:
        if len(word) >= 4:
            found.update(difflib.get_close_matches(word, candidates, n=3, cutoff=0.75))
    if not found:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in found) + r")\b", re.I)


def make_snippet(parts: list[tuple[str, bool]], words) -> SafeString:
    """The passage around the first matched word, as text: Markdown stripped, escaped, the
    matches in <mark>. `parts` are (text, is_markdown) pairs; the first with a match wins."""
    pattern = _word_pattern(words)
    chosen, position = None, 0
    for text, is_markdown in parts:
        if not text:
            continue
        match = pattern.search(text) if pattern else None
        if match is not None:
            chosen, position = (text, is_markdown), match.start()
            break
        if chosen is None:
            chosen = (text, is_markdown)
    if chosen is None:
        return mark_safe("")
    text, is_markdown = chosen
    start = max(0, position - SNIPPET_WINDOW // 3)
    window = text[start : start + SNIPPET_WINDOW]
    if is_markdown:
        window = strip_markdown(window)
    window = " ".join(window.split())
    pattern = pattern if pattern and pattern.search(window) else _typo_pattern(words, window)
    first = pattern.search(window) if pattern else None
    cut = max(0, first.start() - 60) if first and first.start() > 60 else 0
    if cut:
        cut = window.rfind(" ", 0, cut) + 1 or cut
    snippet = window[cut : cut + SNIPPET_LENGTH]
    truncated_before = start > 0 or cut > 0
    truncated_after = cut + SNIPPET_LENGTH < len(window) or start + SNIPPET_WINDOW < len(text)
    pieces, last = [], 0
    for match in pattern.finditer(snippet) if pattern else ():
        pieces.append(escape(snippet[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(snippet[last:]))
    body = "".join(pieces).strip()
    return mark_safe(  # noqa: S308 - every piece was escaped above
        ("… " if truncated_before else "") + body + (" …" if truncated_after else "")
    )
