"""Browser pages of launches, under /w/<workspace_slug>/launches/."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from alignment.dates import SpanDateField
from alignment.mixins import (
    WorkspaceCreateView,
    WorkspaceDeleteView,
    WorkspaceDetailView,
    WorkspaceListView,
    WorkspaceUpdateView,
    WorkspaceViewMixin,
)
from alignment.models import WORK_TEAM_CHOICES
from alignment.redirects import safe_next_url
from alignment.selectors_messaging import claim_list, document_list
from launches import selectors, services
from launches.filters import (
    CampaignFilterSet,
    LaunchFilterSet,
    LaunchTemplateFilterSet,
    ReleaseFilterSet,
)
from launches.forms import (
    CalendarQueryForm,
    CampaignForm,
    GtmSettingsForm,
    LaunchForm,
    LaunchTaskForm,
    LaunchTemplateForm,
    LaunchTemplateItemFormSet,
    MilestoneForm,
    ReleaseForm,
)
from launches.models import (
    CalendarFeed,
    Campaign,
    Launch,
    LaunchTask,
    LaunchTemplate,
    Milestone,
    Release,
)


def _url(name, workspace, *args):
    return reverse(f"launches:{name}", args=[workspace.slug, *args])


class FormPageMixin:
    """The shared form template with a page title."""

    template_name = "launches/form.html"
    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title or (
            f"Edit {self.object}" if getattr(self, "object", None) else "New"
        )
        context["cancel_url"] = safe_next_url(self.request, self.cancel_url())
        return context

    def cancel_url(self):
        return _url("index", self.workspace)


# --- Home --------------------------------------------------------------------------------


class LaunchesIndexView(WorkspaceViewMixin, TemplateView):
    """Upcoming launches with readiness, the ones at risk and why, and the conflicts."""

    template_name = "launches/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["upcoming"] = selectors.launches_upcoming(workspace=self.workspace, today=today)
        context["at_risk"] = selectors.launches_at_risk(workspace=self.workspace, today=today)
        context["conflicts"] = selectors.calendar_conflicts(
            workspace=self.workspace, date_from=today - timedelta(days=30)
        )
        context["window"] = selectors.gtm_settings_get(workspace=self.workspace)
        context["has_templates"] = LaunchTemplate.objects.in_workspace(self.workspace).exists()
        return context


# --- Launches ----------------------------------------------------------------------------


class LaunchListView(WorkspaceListView):
    model = Launch
    filterset_class = LaunchFilterSet
    template_name = "launches/launch_list.html"

    def get_workspace_queryset(self):
        return selectors.launch_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = selectors.launch_with_health(context["object_list"])
        return context


class LaunchDetailView(WorkspaceDetailView):
    model = Launch
    template_name = "launches/launch_detail.html"

    def get_workspace_queryset(self):
        return selectors.launch_detail_queryset(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        launch, today = self.object, timezone.localdate()
        context["today"] = today
        context["health"] = selectors.launch_health(launch, today=today)
        context["timeline"] = selectors.launch_timeline(launch, today=today)
        context["tasks"] = selectors.tasks_with_blockers(
            sorted(launch.tasks.all(), key=lambda t: (t.due_date, t.pk))
        )
        context["milestones"] = list(launch.milestones.all())
        feature_ids = [feature.pk for feature in launch.features.all()]
        context["conflicts"] = (
            selectors.calendar_conflicts(workspace=self.workspace, feature_ids=feature_ids)
            if feature_ids
            else []
        )
        # The copy that goes out with this launch: claims and handoff documents of its features.
        context["claims"] = claim_list(workspace=self.workspace).filter(feature__in=feature_ids)
        context["documents"] = document_list(workspace=self.workspace).filter(
            feature__in=feature_ids
        )
        context["next_statuses"] = [
            (status, Launch.Status(status).label)
            for status in Launch.TRANSITIONS[Launch.Status(launch.status)]
        ]
        context["task_statuses"] = LaunchTask.Status.choices
        return context


class LaunchCreateView(FormPageMixin, WorkspaceCreateView):
    model = Launch
    form_class = LaunchForm
    page_title = "New launch"
    success_message = "Launch created."

    def call_service(self, data):
        return services.launch_create(
            actor=self.request.user,
            workspace=self.workspace,
            template=self.template_choice,
            **data,
        )

    def form_valid(self, form):
        self.template_choice = form.cleaned_data.get("template")
        return super().form_valid(form)

    def get_initial(self):
        return {"template": self.request.GET.get("template"), "tier": 2}


class LaunchUpdateView(FormPageMixin, WorkspaceUpdateView):
    model = Launch
    form_class = LaunchForm
    update_service = staticmethod(services.launch_update)
    success_message = "Launch saved. Undone work moved with the launch date."


class LaunchDeleteView(WorkspaceDeleteView):
    model = Launch

    def get_success_url(self):
        return _url("launch_list", self.workspace)


class LaunchStatusView(WorkspaceViewMixin, View):
    requires_write = True

    def post(self, request, workspace_slug, pk):
        launch = get_object_or_404(Launch.objects.in_workspace(self.workspace), pk=pk)
        try:
            services.launch_set_status(
                actor=request.user, launch=launch, status=request.POST.get("status", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Launch is now {launch.get_status_display().lower()}.")
        return redirect(launch.get_absolute_url())


# --- Tasks and milestones of a launch ---------------------------------------------------


class LaunchChildMixin:
    """Pages about a row of one launch: the launch must be in the workspace."""

    @cached_property
    def launch(self):
        launches = Launch.objects.in_workspace(self.workspace)
        return get_object_or_404(launches, pk=self.kwargs["launch_pk"])

    def get_queryset(self):
        return super().get_queryset().filter(launch=self.launch)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["launch"] = self.launch
        return kwargs

    def get_success_url(self):
        return self.launch.get_absolute_url()

    def cancel_url(self):
        return self.launch.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["launch"] = self.launch
        return context


class TaskFormMixin(LaunchChildMixin):
    def form_valid(self, form):
        self.depends_on = list(form.cleaned_data["depends_on"])
        return super().form_valid(form)


class LaunchTaskCreateView(TaskFormMixin, FormPageMixin, WorkspaceCreateView):
    model = LaunchTask
    form_class = LaunchTaskForm
    success_message = "Task added."

    @property
    def page_title(self):
        return f"New task for {self.launch}"

    def call_service(self, data):
        data.pop("depends_on")
        return services.launch_task_create(
            actor=self.request.user,
            workspace=self.workspace,
            launch=self.launch,
            depends_on=self.depends_on,
            **data,
        )


class LaunchTaskUpdateView(TaskFormMixin, FormPageMixin, WorkspaceUpdateView):
    model = LaunchTask
    form_class = LaunchTaskForm
    success_message = "Task saved."

    def call_service(self, data):
        data.pop("depends_on")
        return services.launch_task_update(
            actor=self.request.user, task=self.object, depends_on=self.depends_on, **data
        )


class LaunchTaskDeleteView(LaunchChildMixin, WorkspaceDeleteView):
    model = LaunchTask

    def get_form_kwargs(self):
        return super(LaunchChildMixin, self).get_form_kwargs()


class LaunchTaskStatusView(WorkspaceViewMixin, View):
    requires_write = True

    def post(self, request, workspace_slug, launch_pk, pk):
        task = get_object_or_404(
            LaunchTask.objects.in_workspace(self.workspace), launch_id=launch_pk, pk=pk
        )
        try:
            services.launch_task_set_status(
                actor=request.user, task=task, status=request.POST.get("status", "")
            )
        except ValidationError as error:
            messages.error(request, f"“{task.title}” was not changed: {' '.join(error.messages)}")
        return redirect(task.launch.get_absolute_url())


class MilestoneCreateView(LaunchChildMixin, FormPageMixin, WorkspaceCreateView):
    model = Milestone
    form_class = MilestoneForm
    success_message = "Milestone added."

    @property
    def page_title(self):
        return f"New milestone for {self.launch}"

    def call_service(self, data):
        return services.milestone_create(
            actor=self.request.user, workspace=self.workspace, launch=self.launch, **data
        )


class MilestoneUpdateView(LaunchChildMixin, FormPageMixin, WorkspaceUpdateView):
    model = Milestone
    form_class = MilestoneForm
    update_service = staticmethod(services.milestone_update)
    success_message = "Milestone saved."


class MilestoneDeleteView(LaunchChildMixin, WorkspaceDeleteView):
    model = Milestone

    def get_form_kwargs(self):
        return super(LaunchChildMixin, self).get_form_kwargs()


class MilestoneToggleView(WorkspaceViewMixin, View):
    requires_write = True

    def post(self, request, workspace_slug, launch_pk, pk):
        milestone = get_object_or_404(
            Milestone.objects.in_workspace(self.workspace), launch_id=launch_pk, pk=pk
        )
        services.milestone_update(actor=request.user, milestone=milestone, done=not milestone.done)
        return redirect(milestone.launch.get_absolute_url())


# --- Templates ---------------------------------------------------------------------------


class LaunchTemplateListView(WorkspaceListView):
    model = LaunchTemplate
    filterset_class = LaunchTemplateFilterSet
    template_name = "launches/template_list.html"

    def get_workspace_queryset(self):
        return selectors.launch_template_list(workspace=self.workspace)


class LaunchTemplateDetailView(WorkspaceDetailView):
    model = LaunchTemplate
    template_name = "launches/template_detail.html"

    def get_workspace_queryset(self):
        return selectors.launch_template_list(workspace=self.workspace)


class TemplateItemsMixin:
    """The template form plus its items formset, saved through one service call."""

    template_name = "launches/template_form.html"

    def get_formset(self):
        instance = getattr(self, "object", None) or LaunchTemplate(workspace=self.workspace)
        return LaunchTemplateItemFormSet(self.request.POST or None, instance=instance)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        return context

    def form_valid(self, form):
        formset = self.get_formset()
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        self.items = [
            {name: value for name, value in row.items() if name not in ("id", "template", "DELETE")}
            for row in formset.cleaned_data
            if row and not row.get("DELETE")
        ]
        return super().form_valid(form)


class LaunchTemplateCreateView(TemplateItemsMixin, FormPageMixin, WorkspaceCreateView):
    model = LaunchTemplate
    form_class = LaunchTemplateForm
    page_title = "New launch template"
    success_message = "Template created."

    def call_service(self, data):
        return services.launch_template_create(
            actor=self.request.user, workspace=self.workspace, items=self.items, **data
        )


class LaunchTemplateUpdateView(TemplateItemsMixin, FormPageMixin, WorkspaceUpdateView):
    model = LaunchTemplate
    form_class = LaunchTemplateForm
    success_message = "Template saved."

    def call_service(self, data):
        return services.launch_template_update(
            actor=self.request.user, launchtemplate=self.object, items=self.items, **data
        )


class LaunchTemplateDeleteView(WorkspaceDeleteView):
    model = LaunchTemplate

    def get_success_url(self):
        return _url("template_list", self.workspace)


class LaunchTemplateSeedView(WorkspaceViewMixin, View):
    requires_write = True

    def post(self, request, workspace_slug):
        created = services.launch_template_seed_defaults(
            actor=request.user, workspace=self.workspace
        )
        messages.success(request, f"{len(created)} default template(s) added.")
        return redirect(_url("template_list", self.workspace))


# --- Campaigns and releases ---------------------------------------------------------------


class CampaignListView(WorkspaceListView):
    model = Campaign
    filterset_class = CampaignFilterSet
    template_name = "launches/campaign_list.html"

    def get_workspace_queryset(self):
        return selectors.campaign_list(workspace=self.workspace)


class CampaignDetailView(WorkspaceDetailView):
    model = Campaign
    template_name = "launches/campaign_detail.html"

    def get_workspace_queryset(self):
        return selectors.campaign_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feature_ids = [feature.pk for feature in self.object.features.all()]
        conflicts = selectors.calendar_conflicts(workspace=self.workspace, feature_ids=feature_ids)
        context["conflicts"] = [c for c in conflicts if c.campaign.pk == self.object.pk]
        return context


class CampaignCreateView(FormPageMixin, WorkspaceCreateView):
    model = Campaign
    form_class = CampaignForm
    page_title = "New campaign"
    create_service = staticmethod(services.campaign_create)
    success_message = "Campaign created."


class CampaignUpdateView(FormPageMixin, WorkspaceUpdateView):
    model = Campaign
    form_class = CampaignForm
    update_service = staticmethod(services.campaign_update)
    success_message = "Campaign saved."


class CampaignDeleteView(WorkspaceDeleteView):
    model = Campaign

    def get_success_url(self):
        return _url("campaign_list", self.workspace)


class ReleaseListView(WorkspaceListView):
    model = Release
    filterset_class = ReleaseFilterSet
    template_name = "launches/release_list.html"

    def get_workspace_queryset(self):
        return selectors.release_list(workspace=self.workspace)


class ReleaseDetailView(WorkspaceDetailView):
    model = Release
    template_name = "launches/release_detail.html"

    def get_workspace_queryset(self):
        return selectors.release_list(workspace=self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicts = selectors.calendar_conflicts(
            workspace=self.workspace, date_from=self.object.date, date_to=self.object.date
        )
        context["conflicts"] = [c for c in conflicts if c.release.pk == self.object.pk]
        return context


class ReleaseCreateView(FormPageMixin, WorkspaceCreateView):
    model = Release
    form_class = ReleaseForm
    page_title = "New release"
    create_service = staticmethod(services.release_create)
    success_message = "Release created."


class ReleaseUpdateView(FormPageMixin, WorkspaceUpdateView):
    model = Release
    form_class = ReleaseForm
    update_service = staticmethod(services.release_update)
    success_message = "Release saved."


class ReleaseDeleteView(WorkspaceDeleteView):
    model = Release

    def get_success_url(self):
        return _url("release_list", self.workspace)


# --- The GTM calendar and settings --------------------------------------------------------


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
            return HttpResponseRedirect(_url("settings", self.workspace))
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        form = GtmSettingsForm(request.POST)
        if form.is_valid():
            services.gtm_settings_update(
                actor=request.user, workspace=self.workspace, **form.cleaned_data
            )
            messages.success(request, "Settings saved.")
            return HttpResponseRedirect(_url("settings", self.workspace))
        return self.render_to_response(self.get_context_data(form=form), status=400)
