"""The webhooks page (workspace admins): outbound subscriptions with their delivery log,
"send test event", activate/deactivate and delete; the inbound secret and URLs, and the
signing secret pasted from Linear."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from alignment.collaboration import selectors
from alignment.collaboration import services
from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.models import WebhookSubscription
from alignment.collaboration.services import webhooks as webhook_services
from alignment.collaboration.services.inbound import inbound_hook_urls
from alignment.mixins import WorkspaceViewMixin
from alignment.tenancy import request_membership_or_404

ADMINS_ONLY = "Only workspace admins can manage webhooks."


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Payload URL",
        max_length=500,
        assume_scheme="https",
        help_text="An http(s) address reachable from the internet; a Slack incoming "
        "webhook URL with the Slack format.",
    )
    events = forms.MultipleChoiceField(
        choices=[(kind.value, kind.label) for kind in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        help_text="What to send.",
    )
    format = forms.ChoiceField(
        choices=WebhookSubscription.Format.choices,
        initial=WebhookSubscription.Format.JSON,
        widget=forms.RadioSelect,
    )


class AdminPageMixin(WorkspaceViewMixin):
    """A page of workspace admins: 404 for non-members, 403 for other members."""

    def get(self, request, *args, **kwargs):
        self._require_admin()
        return super().get(request, *args, **kwargs)

    def _require_admin(self):
        if not self.membership.can_manage_members:
            raise PermissionDenied(ADMINS_ONLY)


def _admin_workspace(request, workspace_slug):
    membership = request_membership_or_404(request, workspace_slug)
    if not membership.can_manage_members:
        raise PermissionDenied(ADMINS_ONLY)
    return membership.workspace


def _webhook_or_404(workspace, pk) -> WebhookSubscription:
    webhook = selectors.webhook_list(workspace=workspace).filter(pk=pk).first()
    if webhook is None:
        raise Http404("No such webhook.")
    return webhook


class WebhookListView(AdminPageMixin, TemplateView):
    """Subscriptions, the form that adds one, and the inbound hooks."""

    template_name = "collaboration/webhook_list.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["webhooks"] = selectors.webhook_list(workspace=self.workspace)
        context["form"] = form or WebhookForm()
        context["inbound"] = services.inbound_hook_get(workspace=self.workspace)
        context["inbound_urls"] = inbound_hook_urls(workspace=self.workspace)
        context["inbound_log"] = selectors.inbound_delivery_list(workspace=self.workspace)[:20]
        return context

    def post(self, request, *args, **kwargs):
        self._require_admin()
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook = services.webhook_create(
                    actor=request.user, workspace=self.workspace, **form.cleaned_data
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # The secret is shown once, on the page the creation leads to.
                request.session[f"webhook-secret-{webhook.pk}"] = webhook.secret
                messages.success(request, "Webhook added. Copy its secret now: it is shown once.")
                return HttpResponseRedirect(
                    reverse("collaboration:webhook_detail", args=[self.workspace.slug, webhook.pk])
                )
        return self.render_to_response(self.get_context_data(form=form))


class WebhookDetailView(AdminPageMixin, TemplateView):
    """One subscription and its delivery log, newest first; POST `active` turns it on/off."""

    template_name = "collaboration/webhook_detail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        webhook = _webhook_or_404(self.workspace, self.kwargs["pk"])
        page = Paginator(selectors.webhook_delivery_list(webhook=webhook), self.paginate_by)
        context["webhook"] = webhook
        context["page_obj"] = page.get_page(self.request.GET.get("page"))
        context["deliveries"] = context["page_obj"].object_list
        context["new_secret"] = self.request.session.pop(f"webhook-secret-{webhook.pk}", None)
        return context

    def post(self, request, *args, **kwargs):
        self._require_admin()
        webhook = _webhook_or_404(self.workspace, self.kwargs["pk"])
        active = request.POST.get("active") == "1"
        services.webhook_update(actor=request.user, webhook=webhook, active=active)
        messages.success(request, "Webhook activated." if active else "Webhook deactivated.")
        return HttpResponseRedirect(
            reverse("collaboration:webhook_detail", args=[self.workspace.slug, webhook.pk])
        )


@login_required
@require_POST
def webhook_test(request, workspace_slug, pk):
    workspace = _admin_workspace(request, workspace_slug)
    webhook = _webhook_or_404(workspace, pk)
    services.webhook_send_test(actor=request.user, webhook=webhook)
    messages.success(request, "Test event sent: its delivery is listed below.")
    return HttpResponseRedirect(reverse("collaboration:webhook_detail", args=[workspace.slug, pk]))


@login_required
@require_POST
def webhook_delete(request, workspace_slug, pk):
    workspace = _admin_workspace(request, workspace_slug)
    webhook = _webhook_or_404(workspace, pk)
    webhook_services.webhook_delete(actor=request.user, webhook=webhook)
    messages.success(request, f"Deleted the webhook to {webhook.url}.")
    return HttpResponseRedirect(reverse("collaboration:webhooks", args=[workspace.slug]))


@login_required
@require_POST
def inbound_rotate(request, workspace_slug):
    workspace = _admin_workspace(request, workspace_slug)
    services.inbound_hook_rotate(actor=request.user, workspace=workspace)
    messages.success(request, "New inbound secret: update it in GitHub and Jira.")
    return HttpResponseRedirect(
        reverse("collaboration:webhooks", args=[workspace.slug]) + "#inbound"
    )


@login_required
@require_POST
def inbound_linear_secret(request, workspace_slug):
    """Store (or, empty, clear) the signing secret Linear shows on its webhook's page."""
    workspace = _admin_workspace(request, workspace_slug)
    try:
        hook = services.inbound_hook_set_linear_secret(
            actor=request.user, workspace=workspace, secret=request.POST.get("linear_secret", "")
        )
    except ValidationError as error:
        for errors in error.message_dict.values():
            for message in errors:
                messages.error(request, f"Linear signing secret: {message}")
    else:
        if hook.linear_secret:
            messages.success(
                request, "Linear signing secret saved: Linear posts are checked with it."
            )
        else:
            messages.success(
                request,
                "Linear signing secret cleared: Linear posts are checked with the inbound secret.",
            )
    return HttpResponseRedirect(
        reverse("collaboration:webhooks", args=[workspace.slug]) + "#inbound-linear-secret"
    )
