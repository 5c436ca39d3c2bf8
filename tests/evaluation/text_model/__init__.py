"""The text model (similar insights, duplicates, themes) measured on the labelled set
tests/research/text_set/insights.json: `evaluation.py` the figures, `representation.py` the
TF-IDF baseline and combination it is compared with, `python -m tests.evaluation.text_model`
prints them."""
