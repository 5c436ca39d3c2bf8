"""Evaluation harnesses: how well the diagnostic rules and the text model do on generated
or labelled data. Not product code: the app imports nothing from here.

- `diagnostics/`: synthetic workspaces with planted problems and healthy look-alikes, and
  each rule's precision and recall on them (`python -m tests.evaluation.diagnostics`).
- `text_model/`: the text model against a TF-IDF baseline on the labelled set
  tests/research/text_set/insights.json (`python -m tests.evaluation.text_model`).

`make evaluate` runs both. The tests that keep their figures above a floor are
tests/metrics/test_diagnostics_folding.py and tests/research/test_similarity.py.
"""

import os


def django_setup() -> None:
    """Django for a command-line run (`python -m tests.evaluation...`), as manage.py has it:
    the project's settings, the embedded defaults unless the environment says otherwise."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alignment.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
