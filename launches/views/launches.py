"""Launch pages: list with health, detail, CRUD and the status transition."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import View

from alignment.messaging.selectors import claim_list
from alignment.messaging.selectors import document_list
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from launches import selectors
from launches import services
from launches.filters import LaunchFilterSet
from launches.forms import LaunchForm
from launches.models import Launch
from launches.models import LaunchTask
from launches.views._common import FormPageMixin


class LaunchListView(WorkspaceListView):
    model = Launch
    filterset_class = LaunchFilterSet
    template_name = "launches/launch_list.html"
    selector = staticmethod(selectors.launch_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = selectors.launch_with_health(context["object_list"])
        return context


class LaunchDetailView(WorkspaceDetailView):
    model = Launch
    template_name = "launches/launch_detail.html"
    selector = staticmethod(selectors.launch_detail_queryset)

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
    list_url = "launches:launch_list"


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
