"""Where product and marketing meet: positioning, claims, handoff documents, objectives,
two-way feedback, sync meetings and the workspace's activity feed. alignment/models.py
imports them: they belong to the alignment app."""

from alignment.messaging.models.activity import ActivityEvent  # noqa: F401
from alignment.messaging.models.choices import Kpi  # noqa: F401
from alignment.messaging.models.choices import ReviewStatus  # noqa: F401
from alignment.messaging.models.feedback import Feedback  # noqa: F401
from alignment.messaging.models.feedback import FeedbackComment  # noqa: F401
from alignment.messaging.models.meetings import ActionItem  # noqa: F401
from alignment.messaging.models.meetings import SyncMeeting  # noqa: F401
from alignment.messaging.models.objectives import Objective  # noqa: F401
from alignment.messaging.models.objectives import ObjectiveTarget  # noqa: F401
from alignment.messaging.models.positioning import Positioning  # noqa: F401
from alignment.messaging.models.positioning import PositioningVersion  # noqa: F401
from alignment.messaging.models.reviewables import Claim  # noqa: F401
from alignment.messaging.models.reviewables import HandoffDocument  # noqa: F401
from alignment.messaging.models.reviewables import Review  # noqa: F401
from alignment.messaging.models.reviewables import Reviewable  # noqa: F401
