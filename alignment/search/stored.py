# ruff: noqa: S608 - SQL is assembled from constant names and the models' own expressions;
# every value is a bound parameter or quoted by the schema editor.
"""What PostgreSQL keeps for the search, so that no search reads every row's text.

Each searchable table gets two generated columns, which no model declares (SQLite has no
such types; Django never writes them):
- `search_vector`: the kind's weighted full-text vector (the very expression the search
  would otherwise compute per row), with a GIN index: full text matches and ranks without
  parsing any text;
- `search_words`: the distinct words of the first TYPO_SCOPE characters of its text (what
  a typo is forgiven against).
Statement triggers copy new words into one word list per workspace, `alignment_search_word`,
trigram-indexed: a typo is looked up among the workspace's words (a few thousand short
strings) and the rows are then found through the full-text index, instead of comparing
the typo with the text of every row. Words that leave a text stay in the list (they only
widen a typo's alternatives, never a result); a deleted workspace's list goes with it.

Migrations make all this with CreateSearchWords (alignment) and AddSearchIndex (every app
with searchable models; operations.py); on other databases both do nothing. A database
made from the models (`make check`) has none of it: the search then computes what it needs
per row (`install_search_indexes` makes it there, for tests and benchmarks). A generated
column depends on its fields: a migration that changes such a field's type (or drops it)
runs RemoveSearchIndex before and AddSearchIndex after.
"""

from __future__ import annotations

from functools import reduce
from operator import add

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVector
from django.contrib.postgres.search import SearchVectorField
from django.db import connection as default_connection
from django.db.backends.utils import truncate_name
from django.db.models import Expression
from django.db.models import F
from django.db.models import Func
from django.db.models import TextField
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.functions import Left
from django.db.models.sql import Query

from alignment.search.query import TYPO_SCOPE
from alignment.search.registry import kinds

VECTOR = "search_vector"
WORDS = "search_words"
WORDS_TABLE = "alignment_search_word"
MAX_WORD_LENGTH = 64  # longer tokens (URLs, ids) are no typo's alternative


# --- The expressions (the search computes the same where nothing is stored) ---------------


def vector_expression(fields) -> SearchVector:
    """The weighted full-text vector of (field, weight) pairs."""
    return reduce(
        add, [SearchVector(name, weight=weight, config="english") for name, weight in fields]
    )


def typo_source(names):
    """The text a typo is looked for in: the fields joined, cut at TYPO_SCOPE."""
    if len(names) == 1:
        joined = F(names[0])
    else:
        parts = []
        for name in names:
            parts.extend([F(name), Value(" ")])
        joined = Concat(*parts[:-1], output_field=TextField())
    return Left(joined, TYPO_SCOPE)


def words_expression(names) -> Func:
    return Func(
        SearchVector(typo_source(names), config="simple"),
        function="tsvector_to_array",
        output_field=ArrayField(TextField()),
    )


class StoredVector(Expression):
    """The row's `search_vector` column, under whatever alias its table has in the query
    (also inside a subquery)."""

    output_field = SearchVectorField()

    def __init__(self, alias=None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return StoredVector(query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return StoredVector(change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name(VECTOR)
        return f"{compiler.quote_name_unless_alias(self.alias)}.{column}", []


# --- The DDL ------------------------------------------------------------------------------


def _sql(schema_editor, model, expression) -> str:
    """An expression over the model's columns (unqualified), its values inlined."""
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    sql, params = compiler.compile(expression.resolve_expression(query, allow_joins=False))
    return sql % tuple(schema_editor.quote_value(param) for param in params)


def _name(table: str, suffix: str) -> str:
    return truncate_name(f"{table}_{suffix}", 63)


COLLECT_WORDS = f"""
CREATE OR REPLACE FUNCTION {WORDS_TABLE}_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {WORDS_TABLE} (workspace_id, word)
        SELECT DISTINCT n.workspace_id, w.word
        FROM new_rows n CROSS JOIN LATERAL unnest(n.{WORDS}) AS w(word)
        WHERE char_length(w.word) <= {MAX_WORD_LENGTH} AND NOT EXISTS (
            SELECT 1 FROM {WORDS_TABLE} s WHERE s.workspace_id = n.workspace_id AND s.word = w.word
        );
    ELSE
        INSERT INTO {WORDS_TABLE} (workspace_id, word)
        SELECT DISTINCT n.workspace_id, w.word
        FROM new_rows n CROSS JOIN LATERAL unnest(n.{WORDS}) AS w(word)
        WHERE char_length(w.word) <= {MAX_WORD_LENGTH} AND NOT EXISTS (
            SELECT 1 FROM old_rows o WHERE o.id = n.id AND o.workspace_id = n.workspace_id
            AND o.{WORDS} IS NOT DISTINCT FROM n.{WORDS}
        ) AND NOT EXISTS (
            SELECT 1 FROM {WORDS_TABLE} s WHERE s.workspace_id = n.workspace_id AND s.word = w.word
        );
    END IF;
    RETURN NULL;
END $$
"""
FORGET_WORDS = f"""
CREATE OR REPLACE FUNCTION {WORDS_TABLE}_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {WORDS_TABLE} s USING old_rows o WHERE s.workspace_id = o.id;
    RETURN NULL;
END $$
"""


def create_search_words(schema_editor) -> None:
    """The workspaces' word lists (no unique key: concurrent writers never wait on each
    other; a word listed twice is read once), and the functions of the triggers."""
    run = schema_editor.execute
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    run(f"CREATE TABLE {WORDS_TABLE} (workspace_id bigint NOT NULL, word text NOT NULL)")
    run(f"CREATE INDEX {WORDS_TABLE}_workspace_word ON {WORDS_TABLE} (workspace_id, word)")
    run(f"CREATE INDEX {WORDS_TABLE}_trigram ON {WORDS_TABLE} USING gin (word gin_trgm_ops)")
    run(COLLECT_WORDS)
    run(FORGET_WORDS)
    run(
        f"CREATE TRIGGER alignment_workspace_search_words AFTER DELETE ON alignment_workspace "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {WORDS_TABLE}_forget()"
    )


def drop_search_words(schema_editor) -> None:
    run = schema_editor.execute
    run("DROP TRIGGER IF EXISTS alignment_workspace_search_words ON alignment_workspace")
    run(f"DROP FUNCTION IF EXISTS {WORDS_TABLE}_forget()")
    run(f"DROP FUNCTION IF EXISTS {WORDS_TABLE}_collect()")
    run(f"DROP TABLE IF EXISTS {WORDS_TABLE}")


def add_search_index(schema_editor, model, fields) -> None:
    """The stored vector and words of one table, its GIN index, its triggers, and the words
    of the rows it already has."""
    table = model._meta.db_table
    quoted = schema_editor.quote_name(table)
    vector = _sql(schema_editor, model, vector_expression(fields))
    words = _sql(schema_editor, model, words_expression([name for name, _ in fields]))
    run = schema_editor.execute
    run(
        f"ALTER TABLE {quoted} "
        f"ADD COLUMN {VECTOR} tsvector GENERATED ALWAYS AS ({vector}) STORED, "
        f"ADD COLUMN {WORDS} text[] GENERATED ALWAYS AS ({words}) STORED"
    )
    run(f"CREATE INDEX {_name(table, VECTOR)} ON {quoted} USING gin ({VECTOR})")
    for event, transition in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        run(
            f"CREATE TRIGGER {_name(table, 'search_words_' + event.lower())} AFTER {event} "
            f"ON {quoted} REFERENCING {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {WORDS_TABLE}_collect()"
        )
    run(
        f"INSERT INTO {WORDS_TABLE} (workspace_id, word) "
        f"SELECT DISTINCT workspace_id, word FROM {quoted} CROSS JOIN LATERAL unnest({WORDS}) "
        f"AS w(word) WHERE char_length(word) <= {MAX_WORD_LENGTH} EXCEPT "
        f"SELECT workspace_id, word FROM {WORDS_TABLE}"
    )


def remove_search_index(schema_editor, model) -> None:
    table = model._meta.db_table
    quoted = schema_editor.quote_name(table)
    for event in ("insert", "update"):
        name = _name(table, f"search_words_{event}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quoted}")
    schema_editor.execute(
        f"ALTER TABLE {quoted} DROP COLUMN IF EXISTS {VECTOR}, DROP COLUMN IF EXISTS {WORDS}"
    )


# --- A database made from the models ------------------------------------------------------


def install_search_indexes(connection=default_connection) -> None:
    """What the migrations make, made in a database built from the models (--nomigrations)
    for every registered kind that lacks it: tests and benchmarks. Skips what exists."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [WORDS_TABLE])
        has_words = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE a.attname = %s AND NOT a.attisdropped AND pg_table_is_visible(c.oid)",
            [WORDS],
        )
        stored = {row[0] for row in cursor.fetchall()}
    with connection.schema_editor() as editor:
        if not has_words:
            create_search_words(editor)
        for kind in kinds():
            model = kind.model
            if model is not None and model._meta.db_table not in stored:
                add_search_index(editor, model, kind.fields)
