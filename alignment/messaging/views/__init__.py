"""Browser pages of messaging, under /w/<workspace_slug>/messaging/ (alignment/messaging/urls.py),
one module per area. Reads go through messaging.selectors, writes through messaging.services,
like the API."""

from alignment.messaging.views.activity import (  # noqa: F401
    ActivityListView,
)
from alignment.messaging.views.claims import (  # noqa: F401
    ClaimCreateView,
    ClaimDeleteView,
    ClaimDetailView,
    ClaimListView,
    ClaimStepView,
    ClaimUpdateView,
)
from alignment.messaging.views.common import (  # noqa: F401
    MessagingFormMixin,
    MessagingHomeView,
    ReviewActionView,
    ServiceActionView,
)
from alignment.messaging.views.documents import (  # noqa: F401
    DocumentCreateView,
    DocumentDeleteView,
    DocumentDetailView,
    DocumentListView,
    DocumentMarkdownView,
    DocumentPrintView,
    DocumentStepView,
    DocumentUpdateView,
)
from alignment.messaging.views.feedback import (  # noqa: F401
    FeedbackCreateView,
    FeedbackDetailView,
    FeedbackListView,
    FeedbackStatusView,
    FeedbackUpdateView,
)
from alignment.messaging.views.meetings import (  # noqa: F401
    ActionItemDoneView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingUpdateView,
)
from alignment.messaging.views.objectives import (  # noqa: F401
    ObjectiveCreateView,
    ObjectiveDeleteView,
    ObjectiveDetailView,
    ObjectiveListView,
    ObjectiveTargetRemoveView,
    ObjectiveUpdateView,
)
from alignment.messaging.views.positioning import (  # noqa: F401
    PositioningCreateView,
    PositioningDetailView,
    PositioningListView,
    PositioningUpdateView,
)
