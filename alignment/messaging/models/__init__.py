"""Where product and marketing meet: positioning, claims, handoff documents, objectives,
two-way feedback, sync meetings and the workspace's activity feed. alignment/models.py
imports them: they belong to the alignment app."""

from alignment.messaging.models.activity import (  # noqa: F401
    ActivityEvent,
)
from alignment.messaging.models.choices import (  # noqa: F401
    Kpi,
    ReviewStatus,
)
from alignment.messaging.models.feedback import (  # noqa: F401
    Feedback,
    FeedbackComment,
)
from alignment.messaging.models.meetings import (  # noqa: F401
    ActionItem,
    SyncMeeting,
)
from alignment.messaging.models.objectives import (  # noqa: F401
    Objective,
    ObjectiveTarget,
)
from alignment.messaging.models.positioning import (  # noqa: F401
    Positioning,
    PositioningVersion,
)
from alignment.messaging.models.reviewables import (  # noqa: F401
    Claim,
    HandoffDocument,
    Review,
    Reviewable,
)
