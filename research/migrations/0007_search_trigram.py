"""pg_trgm for the workspace search's typo tolerance (word_similarity, alignment.search).

CreateExtension does nothing on other databases (SQLite): there the search falls back to a
case-insensitive match. The state of the models does not change.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("research", "0006_evidence_to_roadmap")]

    operations = [TrigramExtension()]
