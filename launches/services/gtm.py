"""GTM settings, calendar feeds, campaigns and releases."""

from __future__ import annotations

from django.db import transaction

from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import save_clean
from launches.models import CalendarFeed
from launches.models import Campaign
from launches.models import GtmSettings
from launches.models import Release
from launches.selectors import calendar_feed_is_current
from launches.services._common import _check_features_of_product

# --- GTM settings and calendar feeds ---------------------------------------------------


@transaction.atomic
def gtm_settings_update(*, actor, workspace: Workspace, conflict_window_days: int) -> GtmSettings:
    gtm, _ = GtmSettings.objects.get_or_create(workspace=workspace)
    gtm.conflict_window_days = conflict_window_days
    save_clean(gtm)
    return gtm


@transaction.atomic
def calendar_feed_get_or_create(*, actor, workspace: Workspace) -> CalendarFeed:
    """The actor's feed in the workspace; a new secret when the one on file was made in an
    earlier membership (removed since): that URL stays dead."""
    feed = CalendarFeed.objects.filter(workspace=workspace, user=actor).first()
    if feed is not None and not calendar_feed_is_current(feed):
        feed.delete()
        feed = None
    return feed or CalendarFeed.objects.create(workspace=workspace, user=actor)


@transaction.atomic
def calendar_feed_regenerate(*, actor, workspace: Workspace) -> CalendarFeed:
    """A new secret URL: subscriptions with the old one stop working at once."""
    CalendarFeed.objects.filter(workspace=workspace, user=actor).delete()
    return CalendarFeed.objects.create(workspace=workspace, user=actor)


# --- Campaigns and releases --------------------------------------------------------------

CAMPAIGN_FIELDS = {"name", "channel", "start_date", "end_date", "budget"}
RELEASE_FIELDS = {"product", "version", "date", "notes"}


def _save_campaign(campaign: Campaign, data: dict, features) -> Campaign:
    assign_fields(campaign, data, CAMPAIGN_FIELDS)
    save_clean(campaign)
    if features is not None:
        campaign.features.set(features)
    return campaign


@transaction.atomic
def campaign_create(*, actor, workspace: Workspace, features=None, **data) -> Campaign:
    return _save_campaign(Campaign(workspace=workspace), data, features or [])


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, features=None, **data) -> Campaign:
    return _save_campaign(campaign, data, features)


def _save_release(release: Release, data: dict, features) -> Release:
    assign_fields(release, data, RELEASE_FIELDS)
    release.full_clean()
    if features is None and release.pk:
        features = list(release.features.all())
    _check_features_of_product(features or [], release.product)
    release.save()
    release.features.set(features or [])
    return release


@transaction.atomic
def release_create(*, actor, workspace: Workspace, features=None, **data) -> Release:
    return _save_release(Release(workspace=workspace), data, features or [])


@transaction.atomic
def release_update(*, actor, release: Release, features=None, **data) -> Release:
    return _save_release(release, data, features)
