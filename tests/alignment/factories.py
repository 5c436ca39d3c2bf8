"""factory_boy factories of messaging. Each accepts `workspace=` (tests/test_tenancy.py)."""

import datetime

import factory

from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import ReviewStatus
from alignment.messaging.models import SyncMeeting
from alignment.models import Role
from tests.factories import FeatureFactory
from tests.factories import MembershipFactory
from tests.factories import ProductFactory
from tests.factories import ScopedFactory
from tests.factories import UserFactory
from tests.research.factories import PersonaFactory


def feature_in(workspace, **kwargs):
    """A feature (and its product) of `workspace`."""
    return FeatureFactory(product=ProductFactory(workspace=workspace), **kwargs)


def member_of(workspace, role=Role.PM):
    """A new user with `role` in `workspace`."""
    user = UserFactory()
    MembershipFactory(user=user, workspace=workspace, role=role)
    return user


class PositioningFactory(ScopedFactory):
    class Meta:
        model = Positioning

    product = factory.SubFactory(ProductFactory, workspace=factory.SelfAttribute("..workspace"))
    persona = factory.SubFactory(PersonaFactory, workspace=factory.SelfAttribute("..workspace"))
    target_customer = "B2B SaaS product teams"
    need = "need to see where users drop off"
    our_product = "Acme Insights is self-serve product analytics"
    version = 1


class PositioningVersionFactory(ScopedFactory):
    class Meta:
        model = PositioningVersion

    positioning = factory.SubFactory(
        PositioningFactory, workspace=factory.SelfAttribute("..workspace")
    )
    number = 1
    target_customer = "B2B SaaS product teams"
    need = "need answers"
    our_product = "Acme Insights"


class ClaimFactory(ScopedFactory):
    class Meta:
        model = Claim

    feature = factory.LazyAttribute(lambda obj: feature_in(obj.workspace))
    headline = factory.Sequence(lambda n: f"Claim {n}")
    body = "Find the drop-off in minutes."
    author = factory.LazyAttribute(lambda claim: member_of(claim.workspace, Role.PM))
    status = ReviewStatus.DRAFT


class HandoffDocumentFactory(ScopedFactory):
    class Meta:
        model = HandoffDocument

    feature = factory.LazyAttribute(lambda obj: feature_in(obj.workspace))
    kind = HandoffDocument.Kind.FAQ
    title = factory.Sequence(lambda n: f"Document {n}")
    body = "# FAQ\n\n**Who is it for?** Product teams."
    author = factory.LazyAttribute(lambda doc: member_of(doc.workspace, Role.PMM))
    status = ReviewStatus.DRAFT


class ObjectiveFactory(ScopedFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Objective {n}")
    product_owner = factory.LazyAttribute(lambda obj: member_of(obj.workspace, Role.PM))
    marketing_owner = factory.LazyAttribute(lambda obj: member_of(obj.workspace, Role.PMM))
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 3, 31)


class ObjectiveTargetFactory(ScopedFactory):
    class Meta:
        model = ObjectiveTarget

    objective = factory.SubFactory(ObjectiveFactory, workspace=factory.SelfAttribute("..workspace"))
    kpi = "conversion_rate"
    target = "0.05"
    direction = ObjectiveTarget.Direction.UP
    scope = ObjectiveTarget.Scope.CHANNEL
    scope_value = "email"


class FeedbackFactory(ScopedFactory):
    class Meta:
        model = Feedback

    from_team = "marketing"
    to_team = "product"
    subject_type = Feedback.SubjectType.FEATURE
    subject_id = factory.LazyAttribute(lambda fb: feature_in(fb.workspace).pk)
    body = "Customers ask for CSV export on funnels."
    author = factory.LazyAttribute(lambda fb: member_of(fb.workspace, Role.PMM))


class FeedbackCommentFactory(ScopedFactory):
    class Meta:
        model = FeedbackComment

    feedback = factory.SubFactory(FeedbackFactory, workspace=factory.SelfAttribute("..workspace"))
    body = "Looking into it."


class SyncMeetingFactory(ScopedFactory):
    class Meta:
        model = SyncMeeting

    title = "Weekly sync"
    date = datetime.date(2026, 2, 2)


class ActionItemFactory(ScopedFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(SyncMeetingFactory, workspace=factory.SelfAttribute("..workspace"))
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.LazyAttribute(lambda item: member_of(item.workspace, Role.PM))
    due_date = datetime.date(2026, 2, 9)


class ActivityEventFactory(ScopedFactory):
    class Meta:
        model = ActivityEvent

    verb = "created"
    target_type = "claim"
    target_id = 1
    target_label = "A claim"
