"""The search's stored data on PostgreSQL (alignment.search.stored): made by migrations that
do nothing elsewhere, the same fields as the registry, kept up to date by the database,
and used by the search's queries."""

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from alignment.search import install_search_indexes
from alignment.search import kinds
from alignment.search import reset_features
from alignment.search import search_everything
from alignment.search.operations import AddSearchIndex
from alignment.search.operations import CreateSearchWords
from alignment.search.postgres import FullTextSearch
from alignment.search.query import parse_query
from alignment.search.stored import WORDS_TABLE
from alignment.search.stored import vector_expression
from tests.factories import WorkspaceFactory
from tests.research.factories import InsightFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search data is PostgreSQL's"
)


@pytest.fixture
def stored(db):
    install_search_indexes()
    reset_features()
    yield
    reset_features()


def test_every_kind_has_a_search_index_of_its_fields_in_the_migrations(settings):
    """A kind whose fields change needs a migration (RemoveSearchIndex, AddSearchIndex)."""
    from django.db.migrations.loader import MigrationLoader

    settings.MIGRATION_MODULES = {}  # the project's own migrations, also under --nomigrations
    loader = MigrationLoader(None, ignore_no_migrations=True)
    indexed = {}
    for (app_label, _), migration in sorted(loader.disk_migrations.items()):
        for operation in migration.operations:
            if isinstance(operation, AddSearchIndex):  # RemoveSearchIndex too
                key = (app_label, operation.model_name)
                if type(operation) is AddSearchIndex:
                    indexed[key] = operation.fields
                else:
                    indexed.pop(key, None)
    registered = {
        (kind.model._meta.app_label, kind.model._meta.model_name): kind.fields for kind in kinds()
    }
    assert indexed == registered


def test_the_operations_write_sql_on_postgres_only():
    from types import SimpleNamespace

    from django.apps import apps
    from django.db.migrations.state import ProjectState

    state = ProjectState.from_apps(apps)
    operations = [
        (CreateSearchWords(), "alignment"),
        (AddSearchIndex("study", (("title", "A"), ("summary", "B"))), "research"),
    ]
    if connection.vendor == "postgresql":
        with connection.schema_editor(collect_sql=True) as editor:
            for operation, app_label in operations:
                operation.database_forwards(app_label, editor, state, state)
        sql = "\n".join(editor.collected_sql)
        assert "GENERATED ALWAYS AS" in sql and "gin_trgm_ops" in sql
    else:
        written = []
        editor = SimpleNamespace(connection=connection, execute=written.append)
        for operation, app_label in operations:
            operation.database_forwards(app_label, editor, state, state)
            operation.database_backwards(app_label, editor, state, state)
        assert written == []


def _words(workspace) -> set[str]:
    with connection.cursor() as cursor:
        sql = f"SELECT word FROM {WORDS_TABLE} WHERE workspace_id = %s"  # noqa: S608
        cursor.execute(sql, [workspace.pk])
        return {row[0] for row in cursor.fetchall()}


@on_postgres
def test_the_stored_vector_is_the_computed_one(stored, workspace):
    insight = InsightFactory(
        workspace=workspace, title="Exports fail", body="**Big** CSV files", source="Call"
    )
    kind = next(kind for kind in kinds() if kind.type == "insight")
    row = (
        type(insight)
        .objects.filter(pk=insight.pk)
        .annotate(computed=vector_expression(kind.fields), stored=RawSQL("search_vector", []))
        .values("computed", "stored")
        .get()
    )
    assert row["stored"] == row["computed"] and "'export':1A" in row["stored"]


@on_postgres
def test_the_database_keeps_each_workspace_word_list(stored, workspace, other_workspace):
    insight = InsightFactory(workspace=workspace, title="Zephyrine", body="x" * 3000 + " tail")
    InsightFactory(workspace=other_workspace, title="Secretword")
    assert {"zephyrine"} <= _words(workspace) and "secretword" not in _words(workspace)
    assert "tail" not in _words(workspace)  # beyond the first TYPO_SCOPE characters
    assert not any(len(word) > 64 for word in _words(workspace))
    insight.title = "Quokka sightings"
    insight.save()
    assert {"quokka", "sightings", "zephyrine"} <= _words(workspace)
    doomed = WorkspaceFactory()
    InsightFactory(workspace=doomed, title="Ephemeral")
    assert "ephemeral" in _words(doomed)
    doomed.delete()
    assert _words(doomed) == set()


@on_postgres
def test_a_typo_is_looked_up_in_the_word_list_swapped_letters_too(stored, workspace):
    InsightFactory(workspace=workspace, title="Search is slow", body="")
    InsightFactory(workspace=workspace, title="Onboarding", body="The checklist is long.")
    InsightFactory(workspace=workspace, title="Unrelated", body="Nothing here.")
    titles = {r.title for r in search_everything(workspace=workspace, query="serach")}
    assert titles == {"Search is slow"}
    titles = {r.title for r in search_everything(workspace=workspace, query="chekclist onbaording")}
    assert titles == {"Onboarding"}


def _plan(sql, params) -> str:
    """The plan, sequential scans avoided where an index can serve."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@on_postgres
def test_the_search_reads_the_stored_data_through_its_indexes(stored, workspace):
    from django.contrib.postgres.search import SearchQuery
    from django.contrib.postgres.search import SearchVectorExact

    from alignment.search.stored import StoredVector
    from research.models import Insight

    for n in range(3):
        InsightFactory(workspace=workspace, title=f"Cannot export {n}", body="Exports fail.")
    kind = next(kind for kind in kinds() if kind.type == "insight")
    sql = str(FullTextSearch(workspace, parse_query("exprot")).queryset(kind).query)
    # No row's text is parsed: the stored vector, the typo as the words it stands for.
    assert "to_tsvector" not in sql and "search_vector" in sql and "to_tsquery" in sql
    assert len(search_everything(workspace=workspace, query="exprot")) == 3
    # The stored vector's match can use its GIN index, also as a subquery (as the branches).
    matched = SearchVectorExact(StoredVector(), SearchQuery("export", config="english"))
    branch = Insight.objects.filter(matched).values("pk")[:10]
    plan = _plan(*Insight.objects.filter(pk__in=branch).query.sql_with_params())
    assert "research_insight_search_vector" in plan, plan


@on_postgres
def test_the_research_list_filter_reads_the_stored_vector(stored, workspace):
    from research import selectors
    from tests.research.factories import PersonaFactory

    persona = PersonaFactory(workspace=workspace, jobs_to_be_done="Reconcile the invoices")
    PersonaFactory(workspace=workspace, jobs_to_be_done="Hire a team")
    found = selectors.persona_list(workspace=workspace, filters={"search": "reconciling"})
    sql = str(found.query)
    assert "to_tsvector" not in sql and '"research_persona"."search_vector"' in sql
    assert [row.pk for row in found] == [persona.pk]
    assert "<mark>Reconcile</mark>" in found[0].search_snippet


def test_the_research_list_filter_searches_the_fields_of_the_workspace_search(workspace):
    """The `search` filter of the research lists and the top bar look at the same fields."""
    from research import selectors
    from research.models import Opportunity
    from research.search import apply_search
    from tests.research.factories import OpportunityFactory
    from tests.research.factories import PersonaFactory

    persona = PersonaFactory(workspace=workspace, jobs_to_be_done="Reconcile the invoices")
    found = selectors.persona_list(workspace=workspace, filters={"search": "reconcile"})
    assert [row.pk for row in found] == [persona.pk]
    kind = next(kind for kind in kinds() if kind.type == "opportunity")
    assert "hypothesis_text" in kind.field_names
    opportunity = OpportunityFactory(workspace=workspace, hypothesis_text="Agencies churn early")
    found = apply_search(Opportunity.objects.in_workspace(workspace), "agencies churn")
    assert [row.pk for row in found] == [opportunity.pk]
