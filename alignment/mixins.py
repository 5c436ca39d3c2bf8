"""Tenancy for the browser UI: view and form mixins every app's pages build on.

A view under /w/<workspace_slug>/ resolves the caller's membership once (404 when not a
member), reads only through `get_workspace_queryset().in_workspace(workspace)`, and
writes through a service. Forms narrow their related choices to the workspace.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.views.generic import CreateView
from django.views.generic import DeleteView
from django.views.generic import DetailView
from django.views.generic import ListView
from django.views.generic import UpdateView

from alignment.routing import workspace_url
from alignment.services import object_delete
from alignment.tenancy import is_workspace_scoped
from alignment.tenancy import narrow_related_querysets
from alignment.tenancy import request_membership_or_404


class WorkspaceModelForm(forms.ModelForm):
    """A ModelForm whose related choices come only from one workspace."""

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        if is_workspace_scoped(type(self.instance)) and self.instance.workspace_id is None:
            # So model.clean() can compare the workspace of related rows while validating.
            self.instance.workspace = workspace
        narrow_related_querysets(self.fields, workspace)


class WorkspaceInlineFormSet(BaseInlineFormSet):
    """Inline rows take their parent's workspace before they are validated, so the
    same-workspace checks in clean() compare like with like (every app's admin inlines)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.workspace_id is None:
            form.instance.workspace_id = self.instance.workspace_id
        return form

    @property
    def empty_form(self):
        # The row "Add another" copies offers the same choices as the others.
        form = super().empty_form
        form.instance.workspace_id = self.instance.workspace_id
        return form


class WorkspaceViewMixin(LoginRequiredMixin):
    """Resolves the membership from the URL; 404 for non-members, 403 for read-only roles."""

    requires_write = False
    # The selector every page reads its rows through, called with workspace=...;
    # without one, the model's rows (the queryset is restricted to the workspace either way).
    selector = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = request_membership_or_404(request, kwargs["workspace_slug"])
        self.workspace = self.membership.workspace
        if self.requires_write and not self.membership.can_write:
            raise PermissionDenied("Your role in this workspace is read-only.")
        return super().dispatch(request, *args, **kwargs)

    def get_workspace_queryset(self):
        if self.selector is not None:
            return self.selector(workspace=self.workspace)
        return self.model.objects.all()

    def get_queryset(self):
        return self.get_workspace_queryset().in_workspace(self.workspace)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workspace"] = self.workspace
        context["membership"] = self.membership
        return context


class WorkspaceListView(WorkspaceViewMixin, ListView):
    """A list with a django-filter FilterSet applied by the selector."""

    paginate_by = 50
    filterset_class = None

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, super().get_queryset(), workspace=self.workspace
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class WorkspaceDetailView(WorkspaceViewMixin, DetailView):
    pass


class ServiceFormMixin:
    """Form views that save through a service and show its validation errors on the form."""

    success_message = ""  # without one: "<Model> created." / "<Model> saved." (success_verb)
    success_verb = ""
    page_title = ""  # without one: "New <model>" / "Edit <row>" (templates/form_page.html)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title or (
            f"Edit {self.object}" if self.object else f"New {self.model._meta.verbose_name}"
        )
        return context

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["workspace"] = self.workspace
        return kwargs

    def call_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            self.object = self.call_service(data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        if self.success_message:
            return self.success_message
        if self.success_verb and getattr(self, "model", None) is not None:
            return f"{capfirst(self.model._meta.verbose_name)} {self.success_verb}."
        return "Saved."


class WorkspaceCreateView(WorkspaceViewMixin, ServiceFormMixin, CreateView):
    requires_write = True
    success_verb = "created"
    create_service = None

    def call_service(self, data):
        return self.create_service(actor=self.request.user, workspace=self.workspace, **data)


class WorkspaceUpdateView(WorkspaceViewMixin, ServiceFormMixin, UpdateView):
    requires_write = True
    success_verb = "saved"
    update_service = None

    def call_service(self, data):
        instance_kwarg = {self.object._meta.model_name: self.object}
        return self.update_service(actor=self.request.user, **instance_kwarg, **data)


class WorkspaceDeleteView(WorkspaceViewMixin, DeleteView):
    requires_write = True
    template_name = "confirm_delete.html"
    delete_service = staticmethod(object_delete)
    list_url = None  # the URL name of the page to go back to, e.g. "research:persona_list"

    def form_valid(self, form):
        self.delete_service(actor=self.request.user, instance=self.object)
        messages.success(self.request, f"Deleted {self.object}.")
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if self.list_url:
            return workspace_url(self.list_url, self.workspace)
        return super().get_success_url()
