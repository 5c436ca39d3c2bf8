"""The search on PostgreSQL: full text (weighted vector, websearch syntax: `"exact phrase"`,
`or`, `-word`), typos forgiven through pg_trgm word similarity, ranked across kinds.

One query per kind. Its candidates come from up to three branches, each able to use an
index and each cut at RESULTS_PER_KIND, merged by a UNION: the rows matching the full text
(best ts_rank first), the rows matching only give or take a typo, and the rows carrying a
tag named like the query or one of its words. Only those candidates are ranked:

    rank = ts_rank + 0.3 × typo score + 0.5 if tagged

where the typo score is 1 for a row with the words themselves and otherwise the least
word similarity of the typo words to the start of its text. The full-text branch is in
rank order, so cutting it loses none of the kind's best; the typo and tag branches, whose
rows rank lower, are cut in ts_rank order.

Where the table has its stored vector and words (alignment.search.stored), a typo is
looked up in the workspace's word list (one query per search) and stands for the words
found: the most similar (word_similarity ≥ TYPO_THRESHOLD, word by word) and the same
letters with two neighbours swapped; the typo branch is a full-text match of those words
(so stems count, and the whole text). Elsewhere (a database made from the models) the
vector is computed per row and the typo branch compares the typos with the start of each
row's text, slowly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.search import SearchQuery
from django.contrib.postgres.search import SearchRank
from django.contrib.postgres.search import SearchVectorExact
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Least
from django.db.models.lookups import GreaterThanOrEqual

from alignment.search import stored
from alignment.search.conditions import kind_rows
from alignment.search.conditions import tag_bonus
from alignment.search.conditions import tag_hit
from alignment.search.conditions import tagged_only
from alignment.search.conditions import with_related
from alignment.search.query import RESULTS_PER_KIND
from alignment.search.query import TYPO_THRESHOLD
from alignment.search.query import ParsedQuery
from alignment.search.registry import SearchKind

TYPO_WEIGHT = 0.3
# The most similar words a typo stands for (ordered by similarity): bounds the query.
TYPO_ALTERNATIVES = 100


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Features:
    trigram: bool  # pg_trgm (research's migration 0007, alignment's search words)
    stored: frozenset[str]  # tables with the stored vector and words


# Per database: a database made without migrations (`make check`) has neither pg_trgm (typos
# are then not forgiven) nor the stored vectors.
_FEATURES: dict[str, Features] = {}


def features() -> Features:
    key = connection.settings_dict.get("NAME") or ""
    if key not in _FEATURES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'), "
                "to_regclass(%s) IS NOT NULL, ARRAY(SELECT c.relname FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid WHERE a.attname = %s "
                "AND NOT a.attisdropped AND pg_table_is_visible(c.oid))",
                [stored.WORDS_TABLE, stored.WORDS],
            )
            trigram, has_words, tables = cursor.fetchone()
        _FEATURES[key] = Features(
            trigram=trigram, stored=frozenset(tables if trigram and has_words else ())
        )
    return _FEATURES[key]


def reset_features() -> None:
    """Forget what was found (after installing or dropping pg_trgm or the stored data)."""
    _FEATURES.clear()


def has_trigram() -> bool:
    return features().trigram


# A typo's alternatives: the threshold is set for this statement only, before the index scan
# (the lateral subquery runs for the row of the one that sets it).
SIMILAR_WORDS = f"""
SELECT q.word, w.word
FROM (SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)) AS s(t)
CROSS JOIN unnest(%s::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT DISTINCT word, word_similarity(q.word, word) AS similarity
    FROM {stored.WORDS_TABLE}
    WHERE s.t IS NOT NULL AND workspace_id = %s AND word %%> q.word
    ORDER BY similarity DESC, word LIMIT %s
) AS w
UNION
SELECT v.word, w.word FROM unnest(%s::text[], %s::text[]) AS v(word, variant)
JOIN {stored.WORDS_TABLE} w ON w.workspace_id = %s AND w.word = v.variant
"""  # noqa: S608 - a constant table name; every value is a bound parameter


def swapped(word: str) -> list[str]:
    """The word with two neighbouring letters swapped: the typo trigrams forgive least
    ("serach" shares a third of its trigrams with "search")."""
    return [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    ]


def similar_words(workspace, words) -> dict[str, list[str]]:
    """Each word's alternatives in the workspace's word list: the most similar words
    (word_similarity, itself included when it is there) and the word with two neighbouring
    letters swapped."""
    pairs = [(word, variant) for word in words for variant in swapped(word)]
    found: dict[str, list[str]] = {word: [] for word in words}
    with connection.cursor() as cursor:
        cursor.execute(
            SIMILAR_WORDS,
            [
                str(TYPO_THRESHOLD),
                list(words),
                workspace.pk,
                TYPO_ALTERNATIVES,
                [word for word, _ in pairs],
                [variant for _, variant in pairs],
                workspace.pk,
            ],
        )
        for word, similar in sorted(cursor.fetchall()):
            found[word].append(similar)
    return found


def _quoted(word: str) -> str:
    """A lexeme for to_tsquery: quoted, its quotes and backslashes doubled."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _english(text: str, search_type: str) -> SearchQuery:
    return SearchQuery(text, search_type=search_type, config="english")


class FullTextSearch:
    """A search on PostgreSQL: `queryset(kind)` for each kind."""

    def __init__(self, workspace, parsed: ParsedQuery):
        self.workspace = workspace
        self.parsed = parsed

    @cached_property
    def features(self) -> Features:
        return features()

    @cached_property
    def typo_query(self) -> SearchQuery | None:
        """Every typo word, as one of the similar words found (to_tsquery stems them)."""
        alternatives = similar_words(self.workspace, self.parsed.typo_words)
        groups = []
        for word in self.parsed.typo_words:
            if not alternatives[word]:
                return None
            groups.append("(" + " | ".join(map(_quoted, alternatives[word])) + ")")
        return _english(" & ".join(groups), "raw")

    def is_stored(self, kind: SearchKind) -> bool:
        return kind.model._meta.db_table in self.features.stored

    def vector(self, kind: SearchKind):
        return (
            stored.StoredVector() if self.is_stored(kind) else stored.vector_expression(kind.fields)
        )

    def similarity(self, kind: SearchKind):
        """Every typo word must be there, give or take a typo: the least similar counts."""
        words = self.parsed.typo_words if self.features.trigram else ()
        if not words:
            return None
        source = stored.typo_source(kind.field_names)
        similarities = [TrigramWordSimilarity(word, source) for word in words]
        return Least(*similarities) if len(similarities) > 1 else similarities[0]

    def typo_branch(self, kind: SearchKind, vector):
        """The rows found with typos: (condition, ordering), or None."""
        if not (self.features.trigram and self.parsed.typo_words):
            return None
        if self.is_stored(kind):
            if self.typo_query is None:
                return None
            return SearchVectorExact(vector, self.typo_query), SearchRank(vector, self.typo_query)
        similarity = self.similarity(kind)
        return GreaterThanOrEqual(similarity, TYPO_THRESHOLD), similarity

    def queryset(self, kind: SearchKind):
        parsed = self.parsed
        rows = kind_rows(kind, self.workspace, parsed)
        if rows is None:
            return None
        if not parsed.text:
            return tagged_only(kind, rows)
        vector = self.vector(kind)
        query = _english(parsed.text, "websearch")
        for word in parsed.negated:  # "-word" excludes, whatever else matched (typos too)
            rows = rows.exclude(SearchVectorExact(vector, _english(word, "plain")))
        matched = SearchVectorExact(vector, query)
        rank = SearchRank(vector, query)
        branches = [rows.filter(matched).order_by(rank.desc(), "-pk")]
        typo = self.typo_branch(kind, vector)
        if typo is not None:
            condition, ordering = typo
            branches.append(
                rows.filter(condition).exclude(matched).order_by(ordering.desc(), "-pk")
            )
        hit = tag_hit(kind, parsed)
        if hit is not None:
            branches.append(rows.filter(hit).order_by(rank.desc(), "-pk"))
        first, *others = [branch.values("pk")[:RESULTS_PER_KIND] for branch in branches]
        candidates = first.union(*others) if others else first
        similarity = self.similarity(kind)
        if similarity is not None:
            # The words themselves count as found without typo.
            typo_score = Case(When(matched, then=Value(1.0)), default=similarity)
            rank = rank + typo_score * Value(TYPO_WEIGHT)
        if hit is not None:
            rank = rank + tag_bonus(hit)
        ranked = kind.model.objects.in_workspace(self.workspace).filter(pk__in=candidates)
        return with_related(kind, ranked).annotate(search_rank=rank).order_by("-search_rank", "-pk")
