"""A persona's jobs to be done join its stored search vector (the workspace search and the
research lists' `search` filter now read the same vector). Does nothing on databases other
than PostgreSQL; the state of the models does not change."""

from django.db import migrations

from alignment.search.operations import AddSearchIndex
from alignment.search.operations import RemoveSearchIndex

BEFORE = (("name", "A"), ("summary", "B"), ("goals", "B"), ("pains", "B"))


class Migration(migrations.Migration):
    dependencies = [("research", "0008_search_index")]

    operations = [
        RemoveSearchIndex("persona", BEFORE),
        AddSearchIndex("persona", (*BEFORE, ("jobs_to_be_done", "C"))),
    ]
