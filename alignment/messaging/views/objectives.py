"""Objective pages: shared KPI targets with their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponseRedirect

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import ObjectiveFilterSet
from alignment.messaging.forms import ObjectiveForm
from alignment.messaging.forms import ObjectiveTargetForm
from alignment.messaging.models import Objective
from alignment.messaging.views.common import MessagingFormMixin
from alignment.messaging.views.common import ServiceActionView
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView


class ObjectiveListView(WorkspaceListView):
    model = Objective
    filterset_class = ObjectiveFilterSet
    template_name = "alignment/messaging/objective_list.html"
    selector = staticmethod(selectors.objective_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = selectors.objectives_with_progress(
            context["object_list"], workspace=self.workspace, with_values=False
        )
        return context


class ObjectiveDetailView(WorkspaceDetailView):
    model = Objective
    template_name = "alignment/messaging/objective_detail.html"
    selector = staticmethod(selectors.objective_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selectors.objectives_with_progress([self.object], workspace=self.workspace)
        context["target_form"] = kwargs.get("target_form") or ObjectiveTargetForm(
            workspace=self.workspace
        )
        return context

    def post(self, request, *args, **kwargs):
        """Add a KPI target (the form on this page)."""
        if not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        self.object = self.get_object()
        form = ObjectiveTargetForm(request.POST, workspace=self.workspace)
        if form.is_valid():
            try:
                services.objective_target_add(
                    actor=request.user, objective=self.object, **form.cleaned_data
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    # The service names the model's scope fields; the form has one picker.
                    name = "scope" if field.startswith("scope") else field
                    form.add_error(name if name in form.fields else None, field_errors)
            else:
                messages.success(request, "Target added.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        context = self.get_context_data(object=self.object, target_form=form)
        return self.render_to_response(context, status=400)


class ObjectiveTargetRemoveView(ServiceActionView):
    model = Objective
    selector = staticmethod(selectors.objective_list)

    def run(self, objective):
        target = objective.targets.filter(pk=self.kwargs["target_pk"]).first()
        if target is None:
            raise Http404("No such target.")
        services.objective_target_remove(actor=self.request.user, target=target)
        return "Target removed."


class ObjectiveCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Objective
    form_class = ObjectiveForm
    create_service = staticmethod(services.objective_create)
    success_message = "Objective created: add its KPI targets below."


class ObjectiveUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Objective
    form_class = ObjectiveForm
    update_service = staticmethod(services.objective_update)


class ObjectiveDeleteView(WorkspaceDeleteView):
    model = Objective
    list_url = "messaging:objective_list"
