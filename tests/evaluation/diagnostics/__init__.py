"""Precision and recall of the diagnostic rules on synthetic workspaces: `synthetic.py`
builds them, `evaluation.py` judges the rules on them, `python -m
tests.evaluation.diagnostics` prints the figures."""
