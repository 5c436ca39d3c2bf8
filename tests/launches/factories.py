"""Factories of the launches models. Each accepts `workspace=` and keeps its parents in it."""

from datetime import date
from datetime import timedelta

import factory

from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import MilestoneKind
from launches.models import Release
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.factories import ScopedFactory


class LaunchFactory(ScopedFactory):
    class Meta:
        model = Launch

    product = factory.SubFactory(ProductFactory, workspace=factory.SelfAttribute("..workspace"))
    name = factory.Sequence(lambda n: f"Launch {n}")
    tier = 2
    launch_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class MilestoneFactory(ScopedFactory):
    class Meta:
        model = Milestone

    launch = factory.SubFactory(LaunchFactory, workspace=factory.SelfAttribute("..workspace"))
    kind = MilestoneKind.CONTENT_READY
    team = "marketing"
    due_date = factory.LazyAttribute(lambda m: m.launch.launch_date - timedelta(days=7))


class LaunchTaskFactory(ScopedFactory):
    class Meta:
        model = LaunchTask

    launch = factory.SubFactory(LaunchFactory, workspace=factory.SelfAttribute("..workspace"))
    title = factory.Sequence(lambda n: f"Task {n}")
    team = "marketing"
    due_date = factory.LazyAttribute(lambda t: t.launch.launch_date - timedelta(days=3))


class LaunchTemplateFactory(ScopedFactory):
    class Meta:
        model = LaunchTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    tier = 2


class LaunchTemplateItemFactory(ScopedFactory):
    class Meta:
        model = LaunchTemplateItem

    template = factory.SubFactory(
        LaunchTemplateFactory, workspace=factory.SelfAttribute("..workspace")
    )
    title = factory.Sequence(lambda n: f"Item {n}")


class CampaignFactory(ScopedFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    channel = "email"
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda c: c.start_date + timedelta(days=14))


class ReleaseFactory(ScopedFactory):
    class Meta:
        model = Release

    product = factory.SubFactory(ProductFactory, workspace=factory.SelfAttribute("..workspace"))
    version = factory.Sequence(lambda n: f"1.{n}")
    date = factory.LazyFunction(date.today)


def feature_in(workspace, product=None, **kwargs):
    product = product or ProductFactory(workspace=workspace)
    return FeatureFactory(workspace=workspace, product=product, **kwargs)
