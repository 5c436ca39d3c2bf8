"""The search's stored vectors and words of launches and campaigns on PostgreSQL
(alignment.search.stored). Does nothing on other databases; the state of the models does
not change."""

from django.db import migrations

from alignment.search.operations import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("launches", "0006_date_span"),
        ("alignment", "0008_search_index"),
    ]

    operations = [
        AddSearchIndex("launch", (("name", "A"), ("goals", "B"))),
        AddSearchIndex("campaign", (("name", "A"), ("channel", "C"))),
    ]
