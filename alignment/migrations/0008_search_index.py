"""The search's stored vectors and word lists on PostgreSQL (alignment.search.stored): the
workspaces' word lists, and the core's searchable tables. Does nothing on other databases;
the state of the models does not change."""

from django.db import migrations

from alignment.search.operations import AddSearchIndex, CreateSearchWords


class Migration(migrations.Migration):
    dependencies = [("alignment", "0007_feature_external_refs")]

    operations = [
        CreateSearchWords(),
        AddSearchIndex("claim", (("headline", "A"), ("body", "B"), ("proof_point", "B"))),
        AddSearchIndex("handoffdocument", (("title", "A"), ("body", "B"))),
        AddSearchIndex("product", (("name", "A"), ("description", "B"))),
        AddSearchIndex(
            "feature", (("name", "A"), ("description", "B"), ("anticipated_value", "C"))
        ),
    ]
