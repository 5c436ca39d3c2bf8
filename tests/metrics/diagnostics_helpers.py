"""Facts for diagnostics tests, written straight to the fact tables."""

from datetime import date
from datetime import timedelta
from decimal import Decimal

from launches.models import Campaign
from metrics.models import CampaignMetric
from metrics.models import UsageMetric

TODAY = date.today()


def day(offset: int) -> date:
    """`offset` days before today."""
    return TODAY - timedelta(days=offset)


def campaign(workspace, name="Campaign", **fields) -> Campaign:
    return Campaign.objects.create(workspace=workspace, name=name, **fields)


def fact(
    workspace, campaign_, when=0, *, channel="email", visits=0, purchases=0, spend=0, revenue=0
):
    return CampaignMetric.objects.create(
        workspace=workspace,
        campaign=campaign_,
        date=day(when) if isinstance(when, int) else when,
        channel=channel,
        visits=visits,
        purchases=purchases,
        spend=Decimal(str(spend)),
        revenue=Decimal(str(revenue)),
    )


def usage(workspace, product, feature, active, when=0):
    return UsageMetric.objects.create(
        workspace=workspace,
        product=product,
        feature=feature,
        date=day(when),
        active_users=active,
    )


def collapse(workspace):
    """A campaign converting like its channel for eight weeks, then hardly at all."""
    steady = campaign(workspace, "Steady")
    collapsing = campaign(workspace, "Collapsing")
    for offset in range(0, 70, 3):
        fact(workspace, steady, offset, visits=1000, purchases=40, spend=500, revenue=2400)
        in_window = offset < 14
        fact(
            workspace,
            collapsing,
            offset,
            visits=1000,
            purchases=4 if in_window else 40,
            spend=500,
            revenue=240 if in_window else 2400,
        )
    return collapsing
