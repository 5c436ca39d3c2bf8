"""Writes of messaging: positioning, claims and handoff documents with their review flow,
objectives and KPI targets, two-way feedback, sync meetings and the activity feed; one
module per area, every name importable from here.

The activity feed has one mechanism: services that change something worth telling are
decorated with @tracked (activity.py), which records an ActivityEvent in the same
transaction.
"""

from alignment.messaging.services.activity import activity_record  # noqa: F401
from alignment.messaging.services.activity import tracked  # noqa: F401
from alignment.messaging.services.checks import _membership  # noqa: F401
from alignment.messaging.services.checks import _require_members  # noqa: F401
from alignment.messaging.services.claims import CLAIM_FIELDS  # noqa: F401
from alignment.messaging.services.claims import _set_personas  # noqa: F401
from alignment.messaging.services.claims import claim_create  # noqa: F401
from alignment.messaging.services.claims import claim_review  # noqa: F401
from alignment.messaging.services.claims import claim_submit  # noqa: F401
from alignment.messaging.services.claims import claim_update  # noqa: F401
from alignment.messaging.services.documents import DOCUMENT_FIELDS  # noqa: F401
from alignment.messaging.services.documents import document_create  # noqa: F401
from alignment.messaging.services.documents import document_review  # noqa: F401
from alignment.messaging.services.documents import document_submit  # noqa: F401
from alignment.messaging.services.documents import document_update  # noqa: F401
from alignment.messaging.services.feedback import FEEDBACK_TRANSITIONS  # noqa: F401
from alignment.messaging.services.feedback import SUBJECT_MODELS  # noqa: F401
from alignment.messaging.services.feedback import _check_subject  # noqa: F401
from alignment.messaging.services.feedback import feedback_comment_add  # noqa: F401
from alignment.messaging.services.feedback import feedback_create  # noqa: F401
from alignment.messaging.services.feedback import feedback_set_status  # noqa: F401
from alignment.messaging.services.feedback import feedback_update  # noqa: F401
from alignment.messaging.services.feedback import subject_model  # noqa: F401
from alignment.messaging.services.meetings import ACTION_ITEM_FIELDS  # noqa: F401
from alignment.messaging.services.meetings import MEETING_FIELDS  # noqa: F401
from alignment.messaging.services.meetings import _set_attendees  # noqa: F401
from alignment.messaging.services.meetings import action_item_create  # noqa: F401
from alignment.messaging.services.meetings import action_item_set_done  # noqa: F401
from alignment.messaging.services.meetings import action_item_update  # noqa: F401
from alignment.messaging.services.meetings import meeting_create  # noqa: F401
from alignment.messaging.services.meetings import meeting_update  # noqa: F401
from alignment.messaging.services.objectives import OBJECTIVE_FIELDS  # noqa: F401
from alignment.messaging.services.objectives import TARGET_FIELDS  # noqa: F401
from alignment.messaging.services.objectives import _build_target  # noqa: F401
from alignment.messaging.services.objectives import _check_owner  # noqa: F401
from alignment.messaging.services.objectives import _replace_targets  # noqa: F401
from alignment.messaging.services.objectives import _validate_objective  # noqa: F401
from alignment.messaging.services.objectives import objective_create  # noqa: F401
from alignment.messaging.services.objectives import objective_target_add  # noqa: F401
from alignment.messaging.services.objectives import objective_target_build  # noqa: F401
from alignment.messaging.services.objectives import objective_target_remove  # noqa: F401
from alignment.messaging.services.objectives import objective_update  # noqa: F401
from alignment.messaging.services.objectives import scope_model  # noqa: F401
from alignment.messaging.services.positioning import STATEMENT_FIELDS  # noqa: F401
from alignment.messaging.services.positioning import _snapshot  # noqa: F401
from alignment.messaging.services.positioning import positioning_create  # noqa: F401
from alignment.messaging.services.positioning import positioning_update  # noqa: F401
from alignment.messaging.services.reviews import _back_to_draft_when_approved  # noqa: F401
from alignment.messaging.services.reviews import _check_editable  # noqa: F401
from alignment.messaging.services.reviews import _review  # noqa: F401
from alignment.messaging.services.reviews import _review_verb  # noqa: F401
from alignment.messaging.services.reviews import _reviewed_noun  # noqa: F401
from alignment.messaging.services.reviews import _submit  # noqa: F401
from alignment.messaging.services.reviews import check_reviewer  # noqa: F401
