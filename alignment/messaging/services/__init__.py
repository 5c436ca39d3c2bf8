"""Writes of messaging: positioning, claims and handoff documents with their review flow,
objectives and KPI targets, two-way feedback, sync meetings and the activity feed; one
module per area, every name importable from here.

The activity feed has one mechanism: services that change something worth telling are
decorated with @tracked (activity.py), which records an ActivityEvent in the same
transaction.
"""

from alignment.messaging.services.activity import (  # noqa: F401
    activity_record,
    tracked,
)
from alignment.messaging.services.checks import (  # noqa: F401
    _membership,
    _require_members,
    _require_same_workspace,
    _save,
)
from alignment.messaging.services.claims import (  # noqa: F401
    CLAIM_FIELDS,
    _set_personas,
    claim_create,
    claim_review,
    claim_submit,
    claim_update,
)
from alignment.messaging.services.documents import (  # noqa: F401
    DOCUMENT_FIELDS,
    document_create,
    document_review,
    document_submit,
    document_update,
)
from alignment.messaging.services.feedback import (  # noqa: F401
    FEEDBACK_TRANSITIONS,
    SUBJECT_MODELS,
    _check_subject,
    feedback_comment_add,
    feedback_create,
    feedback_set_status,
    feedback_update,
    subject_model,
)
from alignment.messaging.services.meetings import (  # noqa: F401
    ACTION_ITEM_FIELDS,
    MEETING_FIELDS,
    _set_attendees,
    action_item_create,
    action_item_set_done,
    action_item_update,
    meeting_create,
    meeting_update,
)
from alignment.messaging.services.objectives import (  # noqa: F401
    OBJECTIVE_FIELDS,
    TARGET_FIELDS,
    _build_target,
    _check_owner,
    _replace_targets,
    _validate_objective,
    objective_create,
    objective_target_add,
    objective_target_build,
    objective_target_remove,
    objective_update,
    scope_model,
)
from alignment.messaging.services.positioning import (  # noqa: F401
    STATEMENT_FIELDS,
    _snapshot,
    positioning_create,
    positioning_update,
)
from alignment.messaging.services.reviews import (  # noqa: F401
    _back_to_draft_when_approved,
    _check_editable,
    _review,
    _review_verb,
    _reviewed_noun,
    _submit,
    check_reviewer,
)
