"""The fields API.md promises on each resource (by path under the workspace, or absolute):
tests/test_api_contract.py checks them in the schema; the API tests of each app check the
answers carry them."""


def _listed(text: str) -> list[str]:
    """The names of a field list written as API.md writes it: "{id, name, role}"."""
    return [name.strip() for name in text.strip("{}").split(",")]


FIELDS = {
    "workspaces/": _listed("{slug, name, role}"),
    "members/": _listed("{username, role}"),
    "/api/v1/invitations/": _listed("{id, workspace, role, invited_by}"),
    "products/": _listed("{id, name, stage, description}"),
    "features/": _listed(
        "{id, product, name, status, release_date, description, anticipated_value, external_refs}"
    ),
    "personas/": _listed("{id, name, goals, pains}"),
    "segments/": _listed("{id, name, criteria}"),
    "studies/": _listed("{id, kind, title, started_on, ended_on, summary}"),
    "insights/": _listed(
        "{id, title, body, source, study, personas, features, tags, sentiment, created_at}"
    ),
    "opportunities/": _listed(
        "{id, title, hypothesis, status, supporting_count, contradicting_count, reach, impact, "
        "confidence, effort, score, horizon}"
    ),
    "competitors/": _listed("{id, name, positioning}"),
    "objectives/": _listed("{id, title, period_start, period_end, targets}"),
    "claims/": _listed("{id, headline, body, feature, personas, status, supported}"),
    "documents/": _listed("{id, kind, title, body, feature, status}"),
    "feedback/": _listed("{id, from_team, to_team, subject_type, subject_id, body, status}"),
    "launches/": _listed(
        "{id, name, product, features, tier, launch_date, status, readiness, at_risk}"
    ),
    "launches/{}/tasks/": _listed(
        "{id, title, team, assignee, due_date, status, channel, depends_on}"
    ),
    "launches/{}/milestones/": _listed("{id, kind, due_date, done}"),
    "campaigns/": _listed("{id, name, channel, features, start_date, end_date, budget}"),
    "releases/": _listed("{id, product, version, date, features}"),
    "imports/": _listed(
        "{id, kind, status, rows_read, rows_imported, rows_rejected, progress, errors_url}"
    ),
    "diagnostics/": _listed(
        "{id, rule, severity, team, subject_type, subject_id, message, detected_at, resolved_at}"
    ),
    "launch-templates/": _listed("{id, name, tier, items}"),
    "notifications/": _listed(
        "{id, event, actor, subject_type, subject_id, message, url, read_at, created_at}"
    ),
    "comments/": _listed(
        "{id, subject_type, subject_id, body, body_html, author, mentions, created_at}"
    ),
    "webhooks/": _listed("{id, url, events, format, active}"),
    "insights/{}/similar/": _listed("{id, title, score}"),
    "insights/{}/highlights/": _listed("{id, start, end, text, tags, persona, feature}"),
    "themes/": _listed(
        "{id, label, insight_count, insights, terms, personas, features, trend, pinned}"
    ),
    "search/": _listed("{type, id, title, snippet, url}"),
    "webhooks/{}/deliveries/": _listed("{id, event, status_code, attempts, error, delivered_at}"),
}
