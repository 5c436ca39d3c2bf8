"""The migration operations of the search's stored data (stored.py): PostgreSQL only, they
do nothing on other databases, and the state of the models never changes."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation

from alignment.search.stored import add_search_index
from alignment.search.stored import create_search_words
from alignment.search.stored import drop_search_words
from alignment.search.stored import remove_search_index


class _PostgresOnly(Operation):
    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    @staticmethod
    def applies(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"


class CreateSearchWords(_PostgresOnly):
    """The workspaces' word lists (alignment's migration; pg_trgm with them)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self.applies(schema_editor):
            create_search_words(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.applies(schema_editor):
            drop_search_words(schema_editor)

    def describe(self):
        return "Create the search's word lists (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return "search_words"


class AddSearchIndex(_PostgresOnly):
    """The stored search vector and words of `model_name`, from `fields` ((field, weight)
    pairs: its SearchKind's fields)."""

    def __init__(self, model_name: str, fields):
        self.model_name = model_name
        self.fields = tuple(tuple(pair) for pair in fields)

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields},
        )

    def _model(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self.applies(schema_editor):
            add_search_index(schema_editor, self._model(app_label, to_state), self.fields)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.applies(schema_editor):
            remove_search_index(schema_editor, self._model(app_label, from_state))

    def describe(self):
        return f"Store the search vector of {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_index"


class RemoveSearchIndex(AddSearchIndex):
    """Undoes AddSearchIndex (with the same fields, so that it can be reversed)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Drop the stored search vector of {self.model_name} (PostgreSQL only)"
