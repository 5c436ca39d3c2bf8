"""The GTM calendar (month or week, with conflicts) and its settings page (conflict
window, private calendar feed)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from alignment.dates import SpanDateField
from alignment.mixins import WorkspaceViewMixin
from alignment.routing import workspace_url
from alignment.teams import WORK_TEAM_CHOICES
from launches import selectors
from launches import services
from launches.forms import CalendarQueryForm
from launches.forms import GtmSettingsForm
from launches.models import CalendarFeed


class CalendarView(WorkspaceViewMixin, TemplateView):
    """Month (default) or week view; ?date= picks the period, ?product= and ?team= filter."""

    template_name = "launches/calendar.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if self.valid else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        view = "week" if params.get("view") == "week" else "month"
        try:  # the form below names a bad date (400); the page then shows this month
            anchor = SpanDateField(required=False).clean(params.get("date"))
        except ValidationError:
            anchor = None
        anchor = anchor or timezone.localdate()
        if view == "week":
            start = anchor - timedelta(days=anchor.weekday())
            end = start + timedelta(days=6)
            previous, following = start - timedelta(days=7), start + timedelta(days=7)
        else:
            start = anchor.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            previous = (start - timedelta(days=1)).replace(day=1)
            following = end + timedelta(days=1)
        query = params.copy()
        query["from"], query["to"] = start.isoformat(), end.isoformat()
        form = CalendarQueryForm(query, workspace=self.workspace)
        self.valid = form.is_valid()
        data = form.cleaned_data if self.valid else {}  # bad filters: 400, unfiltered view
        product, team = data.get("product"), data.get("team") or ""
        events = selectors.calendar_events(
            workspace=self.workspace,
            date_from=start,
            date_to=end,
            product_id=product.pk if product else None,
            team=team,
        )
        keep = params.copy()
        for name in ("date", "from", "to"):
            keep.pop(name, None)
        context.update(
            view=view,
            start=start,
            end=end,
            today=timezone.localdate(),
            weeks=selectors.calendar_weeks(events=events, date_from=start, date_to=end),
            events=events,
            form=form,
            teams=WORK_TEAM_CHOICES,
            previous=previous,
            following=following,
            keep=keep.urlencode(),
            conflicts=selectors.calendar_conflicts(
                workspace=self.workspace,
                date_from=start - timedelta(days=60),
                date_to=end,
                product_id=product.pk if product else None,
            ),
        )
        return context


class GtmSettingsView(WorkspaceViewMixin, TemplateView):
    """The conflict window and the caller's private calendar feed URL."""

    template_name = "launches/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        gtm = selectors.gtm_settings_get(workspace=self.workspace)
        context["form"] = kwargs.get("form") or GtmSettingsForm(instance=gtm)
        feed = CalendarFeed.objects.filter(workspace=self.workspace, user=self.request.user).first()
        context["feed"] = feed
        if feed:
            path = reverse(
                "launches-api:calendar-ics", kwargs={"workspace_slug": self.workspace.slug}
            )
            context["feed_url"] = self.request.build_absolute_uri(f"{path}?token={feed.token}")
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action in ("feed", "regenerate"):
            service = (
                services.calendar_feed_regenerate
                if action == "regenerate"
                else services.calendar_feed_get_or_create
            )
            service(actor=request.user, workspace=self.workspace)
            messages.success(request, "Your calendar feed URL is ready.")
            return HttpResponseRedirect(workspace_url("launches:settings", self.workspace))
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        form = GtmSettingsForm(request.POST)
        if form.is_valid():
            services.gtm_settings_update(
                actor=request.user, workspace=self.workspace, **form.cleaned_data
            )
            messages.success(request, "Settings saved.")
            return HttpResponseRedirect(workspace_url("launches:settings", self.workspace))
        return self.render_to_response(self.get_context_data(form=form), status=400)
