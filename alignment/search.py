"""One search over the workspace: the top bar's page and the API's `search/?q=`.

Each app registers what it makes searchable (`register(SearchKind(...))` in its
AppConfig.ready: research its insights, highlights, tags, opportunities, personas and
studies; launches its launches and campaigns; the core its claims, documents, products and
features below), so this module imports no other app.

On PostgreSQL every kind is searched with full text (weighted SearchVector, websearch
syntax: `"exact phrase"`, `or`, `-word`) and pg_trgm word similarity for typos, ranked
across kinds. Elsewhere (SQLite) each word must appear in one of the kind's fields (case
insensitive). Either way `tag:name` keeps only rows tagged so, and a plain word equal to a
tag's name finds what carries the tag. One query per kind, at most RESULTS_PER_KIND rows
each and MAX_RESULTS in all, so a search costs a fixed number of queries.

Snippets are cut here, in Python, from the matched text as a reader sees it: Markdown is
stripped, everything is HTML-escaped and only the matched words are wrapped in <mark>.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import add, and_, or_

from django.apps import apps
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Least, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
RESULTS_PER_KIND = 10
MAX_RESULTS = 50
MAX_WORDS = 10
MAX_TAGS = 5
# pg_trgm word_similarity (the least of the query's words') above which a row counts as
# matching with typos: "onbaording" ~ "Onboarding checklist" scores 0.47, an unrelated
# sentence under 0.2. Short words have few trigrams: a typo in one is rarely forgiven.
TYPO_THRESHOLD = 0.45
TYPO_WORDS = 3
# Typos are looked for in the first characters of a row's text only: cheap on long bodies.
TYPO_SCOPE = 2000
SNIPPET_LENGTH = 220


@dataclass(frozen=True)
class SearchKind:
    """What one model contributes to the search.

    `fields` are (field, weight A-D) pairs, the title first; `snippet_fields` the ones a
    snippet is cut from (default: every field but the title); `markdown` those written in
    Markdown; `tags` the many-to-many to a model with a `name` (tag search); `is_tag` marks
    the tags themselves (found by name, also by `tag:name`).
    """

    type: str
    label: str
    model_label: str
    fields: tuple[tuple[str, str], ...]
    snippet_fields: tuple[str, ...] | None = None
    markdown: tuple[str, ...] = ()
    tags: str | None = None
    is_tag: bool = False
    select_related: tuple[str, ...] = ("workspace",)
    title: Callable | None = None
    url: Callable | None = None
    snippet: Callable | None = None

    @property
    def model(self):
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    def title_of(self, row) -> str:
        return self.title(row) if self.title else str(getattr(row, self.fields[0][0]))

    def url_of(self, row) -> str:
        return self.url(row) if self.url else row.get_absolute_url()

    def text_of(self, row) -> list[tuple[str, bool]]:
        names = self.snippet_fields
        if names is None:
            names = tuple(name for name, _ in self.fields[1:])
        return [(getattr(row, name) or "", name in self.markdown) for name in names]


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> None:
    _KINDS[kind.type] = kind


def kinds() -> list[SearchKind]:
    return list(_KINDS.values())


# --- The query ----------------------------------------------------------------------------

TAG_TOKEN = re.compile(r'(?<!\S)tag:(?:"([^"]*)"|(\S*))', re.IGNORECASE)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = {"or", "and", "not"}
SUFFIXES = ("ing", "ed", "es", "s", "ly", "er")


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # without the tag: tokens, for full text search
    tags: tuple[str, ...]
    words: tuple[str, ...]  # the words to find (not negated), lower case
    negated: tuple[str, ...]


def clean_query(query: str) -> str:
    """NUL cannot reach PostgreSQL; runs of whitespace mean nothing; capped in length."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def parse_query(query: str) -> ParsedQuery:
    query = clean_query(query)
    tags = []
    for quoted, bare in TAG_TOKEN.findall(query):
        name = " ".join((quoted or bare).strip('"').split()).lstrip("#")
        if name and name.lower() not in {tag.lower() for tag in tags}:
            tags.append(name)
    text = " ".join(TAG_TOKEN.sub(" ", query).split())
    words, negated = [], []
    for token in text.split():
        target = negated if token.startswith("-") and len(token) > 1 else words
        for word in WORD.findall(token.lower()):
            if word not in STOP and word not in target:
                target.append(word)
    return ParsedQuery(
        text=text,
        tags=tuple(tags[:MAX_TAGS]),
        words=tuple(words[:MAX_WORDS]),
        negated=tuple(negated[:MAX_WORDS]),
    )


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


# Whether pg_trgm is installed (research's migration 0007 installs it), per database. A
# database made without migrations (`make check`) lacks it: typos are then not forgiven.
_TRIGRAM: dict[str, bool] = {}


def has_trigram() -> bool:
    key = connection.settings_dict.get("NAME") or ""
    if key not in _TRIGRAM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _TRIGRAM[key] = cursor.fetchone() is not None
    return _TRIGRAM[key]


TAG_BONUS = Case(When(tag_hit=True, then=Value(0.5)), default=Value(0.0), output_field=FloatField())


# --- One kind's query ---------------------------------------------------------------------


def _joined(names: list[str]):
    if len(names) == 1:
        return F(names[0])
    parts = []
    for name in names:
        parts.extend([F(name), Value(" ")])
    return Concat(*parts[:-1], output_field=TextField())


def _tag_condition(kind: SearchKind, names) -> Q:
    lookup = "name__iexact" if kind.is_tag else f"{kind.tags}__name__iexact"
    return reduce(or_, (Q(**{lookup: name}) for name in names))


def _tagged(kind: SearchKind, names) -> Exists:
    """Whether the row carries one of these tags (a subquery: no duplicated rows)."""
    model = kind.model
    return Exists(model.objects.filter(Q(pk=OuterRef("pk")) & _tag_condition(kind, names)))


def _kind_queryset(kind: SearchKind, workspace, parsed: ParsedQuery):
    model = kind.model
    queryset = model.objects.in_workspace(workspace)
    if kind.select_related:
        queryset = queryset.select_related(*kind.select_related)
    if parsed.tags:
        if not (kind.tags or kind.is_tag):
            return None
        for name in parsed.tags:  # every tag named must be there
            queryset = queryset.filter(_tagged(kind, [name]))
    if not parsed.text:
        return queryset.annotate(search_rank=Value(1.0, output_field=FloatField())).order_by("-pk")
    names = [name for name, _ in kind.fields]
    # A word (or the whole text) that is a tag's name finds what carries the tag.
    tag_names = [parsed.text, *parsed.words]
    tag_hit = _tagged(kind, tag_names) if (kind.tags or kind.is_tag) and parsed.words else None
    if uses_full_text_search():
        vector = reduce(
            add,
            [SearchVector(name, weight=weight, config="english") for name, weight in kind.fields],
        )
        search_query = SearchQuery(parsed.text, search_type="websearch", config="english")
        typo_words = [word for word in parsed.words if len(word) >= 3][:TYPO_WORDS]
        if not has_trigram():
            typo_words = []
        source = Left(_joined(names), TYPO_SCOPE)
        # Every word must be there, give or take a typo: the least similar one counts.
        similarities = [TrigramWordSimilarity(word, source) for word in typo_words]
        typo = (
            (Least(*similarities) if len(similarities) > 1 else similarities[0])
            if similarities
            else Value(0.0, output_field=FloatField())
        )
        queryset = queryset.annotate(search_vector=vector, typo=typo)
        condition = Q(search_vector=search_query) | Q(typo__gte=TYPO_THRESHOLD)
        rank = SearchRank(vector, search_query) + F("typo") * Value(0.3)
        if tag_hit is not None:
            condition |= Q(tag_hit=True)
            queryset = queryset.annotate(tag_hit=tag_hit)
            rank = rank + TAG_BONUS
        for word in parsed.negated:  # "-word" excludes, whatever else matched (typos too)
            queryset = queryset.exclude(
                search_vector=SearchQuery(word, search_type="plain", config="english")
            )
        return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", "-pk")
    if not parsed.words:
        return None
    condition = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{name}__icontains": word}) for name in names))
            for word in parsed.words
        ),
    )
    for word in parsed.negated:
        for name in names:
            queryset = queryset.exclude(**{f"{name}__icontains": word})
    title_hit = reduce(and_, (Q(**{f"{names[0]}__icontains": word}) for word in parsed.words))
    rank = Case(When(title_hit, then=Value(1.5)), default=Value(1.0), output_field=FloatField())
    if tag_hit is not None:
        queryset = queryset.annotate(tag_hit=tag_hit)
        condition |= Q(tag_hit=True)
        rank = rank + TAG_BONUS
    return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", "-pk")


# --- Snippets -----------------------------------------------------------------------------

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


# --- The search ---------------------------------------------------------------------------


@dataclass
class SearchResult:
    type: str
    label: str
    id: int
    title: str
    snippet: SafeString
    url: str
    rank: float
    object: object = field(repr=False, default=None)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "snippet": str(self.snippet),
            "url": self.url,
        }


@dataclass
class SearchGroup:
    label: str
    type: str
    results: list


def search_everything(
    *, workspace, query: str, types=None, limit: int = MAX_RESULTS
) -> list[SearchResult]:
    """Every registered kind's best matches in the workspace, ranked together, best first."""
    parsed = parse_query(query)
    if len(parsed.text) < MIN_QUERY_LENGTH and not parsed.tags:
        return []
    results = []
    for kind in kinds():
        if kind.model is None or (types and kind.type not in types):
            continue
        queryset = _kind_queryset(kind, workspace, parsed)
        if queryset is None:
            continue
        for row in queryset[:RESULTS_PER_KIND]:
            snippet = kind.snippet(row) if kind.snippet else None
            results.append(
                SearchResult(
                    type=kind.type,
                    label=kind.label,
                    id=row.pk,
                    title=kind.title_of(row),
                    snippet=snippet
                    if snippet is not None
                    else make_snippet(kind.text_of(row), parsed.words),
                    url=kind.url_of(row),
                    rank=float(row.search_rank or 0.0),
                    object=row,
                )
            )
    # Stable: equal ranks keep the registry's order of kinds.
    results.sort(key=lambda result: -result.rank)
    return results[:limit]


def search(*, workspace, query: str) -> list[SearchGroup]:
    """The results grouped by kind (for the search page), the best group first."""
    groups: dict[str, SearchGroup] = {}
    for result in search_everything(workspace=workspace, query=query):
        group = groups.get(result.type)
        if group is None:
            group = groups[result.type] = SearchGroup(result.label, result.type, [])
        group.results.append(result)
    return list(groups.values())


# --- The core's own kinds -----------------------------------------------------------------

register(
    SearchKind(
        "claim",
        "Claims",
        "alignment.Claim",
        (("headline", "A"), ("body", "B"), ("proof_point", "B")),
        markdown=("body",),
    )
)
register(
    SearchKind(
        "document",
        "Documents",
        "alignment.HandoffDocument",
        (("title", "A"), ("body", "B")),
        markdown=("body",),
    )
)
register(
    SearchKind("product", "Products", "alignment.Product", (("name", "A"), ("description", "B")))
)
register(
    SearchKind(
        "feature",
        "Features",
        "alignment.Feature",
        (("name", "A"), ("description", "B"), ("anticipated_value", "C")),
        select_related=("workspace", "product"),
        title=lambda feature: str(feature),
    )
)
