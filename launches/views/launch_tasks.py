"""The tasks and milestones of one launch. Named for LaunchTask: `tasks` stays free
for Celery."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import View

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from launches import services
from launches.forms import LaunchTaskForm
from launches.forms import MilestoneForm
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import Milestone
from launches.views._common import FormPageMixin

# --- Tasks and milestones of a launch ---------------------------------------------------


class LaunchChildMixin:
    """Pages about a row of one launch: the launch must be in the workspace."""

    @cached_property
    def launch(self):
        launches = Launch.objects.in_workspace(self.workspace)
        return get_object_or_404(launches, pk=self.kwargs["launch_pk"])

    def get_queryset(self):
        return super().get_queryset().filter(launch=self.launch)

    def get_success_url(self):
        return self.launch.get_absolute_url()

    def cancel_url(self):
        return self.launch.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["launch"] = self.launch
        return context


class LaunchChildFormMixin(LaunchChildMixin):
    """The create and edit pages: their form offers the launch's own tasks and milestones."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["launch"] = self.launch
        return kwargs


class LaunchChildActionView(WorkspaceViewMixin, View):
    """A button on the launch page that changes one of its rows, then back to the launch."""

    requires_write = True

    def launch_row(self, model, launch_pk, pk):
        return get_object_or_404(
            model.objects.in_workspace(self.workspace), launch_id=launch_pk, pk=pk
        )


class TaskFormMixin(LaunchChildFormMixin):
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


class LaunchTaskStatusView(LaunchChildActionView):
    def post(self, request, workspace_slug, launch_pk, pk):
        task = self.launch_row(LaunchTask, launch_pk, pk)
        try:
            services.launch_task_set_status(
                actor=request.user, task=task, status=request.POST.get("status", "")
            )
        except ValidationError as error:
            messages.error(request, f"“{task.title}” was not changed: {' '.join(error.messages)}")
        return redirect(task.launch.get_absolute_url())


class MilestoneCreateView(LaunchChildFormMixin, FormPageMixin, WorkspaceCreateView):
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


class MilestoneUpdateView(LaunchChildFormMixin, FormPageMixin, WorkspaceUpdateView):
    model = Milestone
    form_class = MilestoneForm
    update_service = staticmethod(services.milestone_update)


class MilestoneDeleteView(LaunchChildMixin, WorkspaceDeleteView):
    model = Milestone


class MilestoneToggleView(LaunchChildActionView):
    def post(self, request, workspace_slug, launch_pk, pk):
        milestone = self.launch_row(Milestone, launch_pk, pk)
        services.milestone_update(actor=request.user, milestone=milestone, done=not milestone.done)
        return redirect(milestone.launch.get_absolute_url())
