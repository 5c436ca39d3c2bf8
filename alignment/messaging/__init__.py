"""Messaging: positioning tied to features, claims with evidence and their reviews,
handoff documents, objectives with shared KPI targets, feedback between the teams, sync
meetings and their action items. Part of the `alignment` app (its models carry that
app label). It builds on the core (workspaces, products, features); its positioning and
claims also cite research's personas, and battlecards a research competitor."""
