"""Launch templates, edited with their items in one form, and the default set."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import View

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from alignment.routing import workspace_url
from launches import selectors
from launches import services
from launches.filters import LaunchTemplateFilterSet
from launches.forms import LaunchTemplateForm
from launches.forms import LaunchTemplateItemFormSet
from launches.models import LaunchTemplate
from launches.views._common import FormPageMixin


class LaunchTemplateListView(WorkspaceListView):
    model = LaunchTemplate
    filterset_class = LaunchTemplateFilterSet
    template_name = "launches/template_list.html"
    selector = staticmethod(selectors.launch_template_list)


class LaunchTemplateDetailView(WorkspaceDetailView):
    model = LaunchTemplate
    template_name = "launches/template_detail.html"
    selector = staticmethod(selectors.launch_template_list)


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
    list_url = "launches:template_list"


class LaunchTemplateSeedView(WorkspaceViewMixin, View):
    requires_write = True

    def post(self, request, workspace_slug):
        created = services.launch_template_seed_defaults(
            actor=request.user, workspace=self.workspace
        )
        messages.success(request, f"{len(created)} default template(s) added.")
        return redirect(workspace_url("launches:template_list", self.workspace))
