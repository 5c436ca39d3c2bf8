"""The search's stored vectors and words of research's searchable tables on PostgreSQL
(alignment.search.stored). Does nothing on other databases; the state of the models does
not change."""

from django.db import migrations

from alignment.search.operations import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0007_search_trigram"),
        ("alignment", "0008_search_index"),
    ]

    operations = [
        AddSearchIndex(
            "insight", (("title", "A"), ("body", "B"), ("evidence", "B"), ("source", "C"))
        ),
        AddSearchIndex("highlight", (("text", "A"),)),
        AddSearchIndex("tag", (("name", "A"),)),
        AddSearchIndex(
            "opportunity",
            (
                ("title", "A"),
                ("hypothesis_text", "B"),
                ("problem", "B"),
                ("reason", "B"),
                ("signal", "C"),
                ("description", "C"),
            ),
        ),
        AddSearchIndex(
            "persona", (("name", "A"), ("summary", "B"), ("goals", "B"), ("pains", "B"))
        ),
        AddSearchIndex("study", (("title", "A"), ("summary", "B"))),
    ]
