from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from alignment import selectors
from alignment import services
from alignment.filters import FeatureFilterSet
from alignment.filters import ProductFilterSet
from alignment.forms import FeatureForm
from alignment.forms import MemberInviteForm
from alignment.forms import ProductForm
from alignment.forms import WorkspaceCreateForm
from alignment.forms import WorkspaceSettingsForm
from alignment.health import readiness
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from alignment.mixins import WorkspaceViewMixin
from alignment.models import Feature
from alignment.models import Product
from alignment.models import Workspace
from alignment.tenancy import get_membership_or_404
from alignment.uploads import UploadTooLarge
from alignment.uploads import size_label

# --- Health -----------------------------------------------------------------------------


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon
    (its hashed name in production), not to a 404."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"))


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    checks = readiness()
    failing = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


# --- Error pages ------------------------------------------------------------------------


def bad_request(request, exception):
    """handler400: Django's 400 page, except for an upload over its limit (refused while
    the body was read, often by the CSRF check before any view ran): a 413 naming the
    limit, in JSON under /api/ as the API's own refusal is."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    if isinstance(exception, UploadTooLarge):
        field, message = exception.field, str(exception)
    else:  # a body without a file, over DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        field, message = "detail", f"The request body is larger than the {limit} limit."
    if request.path.startswith("/api/"):
        return JsonResponse({field: [message] if field != "detail" else message}, status=413)
    # No request context, like the other error pages (error_base.html): it cannot fail.
    body = loader.get_template("413.html").render({"message": message, "back": request.path})
    return HttpResponse(body, status=413)


# --- Account and workspaces -------------------------------------------------------------


@login_required
def home(request):
    """Send the user to their last workspace, else their first. Open invitations come
    first: a user with any sees the workspaces page, where they accept or decline them, as
    does a user with no workspace who may not create one (the others go create one)."""
    workspaces = selectors.workspace_list_for_user(user=request.user)
    last = request.session.get("last_workspace")
    workspace = workspaces.filter(slug=last).first() or workspaces.first()
    invited = selectors.invitation_list_for_invitee(user=request.user).exists()
    if workspace is not None and not invited:
        return redirect(workspace.get_absolute_url())
    may_create = selectors.workspace_creation_allowed(user=request.user)
    if workspace is None and not invited and may_create:
        return redirect("workspace_create")
    return _workspaces_page(request)


@login_required
@require_GET
def workspace_list(request):
    """The user's workspaces and the invitations waiting for their answer."""
    return _workspaces_page(request)


def _workspaces_page(request):
    context = {
        "workspaces": selectors.workspace_list_for_user(user=request.user),
        "invitations": selectors.invitation_list_for_invitee(user=request.user),
    }
    return render(request, "alignment/workspace_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_detail(request, token):
    """An invitation by its link, for its invitee only (anyone else: 404). POST accepts it,
    or declines it with `decision=decline`."""
    invitation = get_object_or_404(
        selectors.invitation_list_for_invitee(user=request.user, open_only=False), token=token
    )
    if request.method == "GET":
        is_member = selectors.workspace_list_for_user(user=request.user).filter(
            pk=invitation.workspace_id
        )
        context = {"invitation": invitation, "is_member": is_member.exists()}
        return render(request, "alignment/invitation_detail.html", context)
    workspace = invitation.workspace
    decline = request.POST.get("decision") == "decline"
    respond = services.invitation_decline if decline else services.invitation_accept
    try:
        respond(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(invitation.get_absolute_url())
    if decline:
        messages.success(request, f"You declined the invitation to {workspace.name}.")
        return redirect("workspace_list")
    messages.success(request, f"Welcome to {workspace.name}.")
    return redirect(workspace.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def workspace_create(request):
    if not selectors.workspace_creation_allowed(user=request.user):
        raise PermissionDenied("Only ops (staff) accounts may create workspaces here.")
    form = WorkspaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.workspace_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Workspace {workspace.name} created.")
            return redirect(workspace.get_absolute_url())
    return render(request, "alignment/workspace_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        services.token_regenerate(user=request.user)
        messages.success(request, "A new API key was generated; the old one no longer works.")
        return redirect("profile")
    token = services.token_get_or_create(user=request.user)
    workspaces = selectors.workspace_list_for_user(user=request.user)
    return render(request, "alignment/profile.html", {"token": token, "workspaces": workspaces})


class MemberListView(WorkspaceViewMixin, TemplateView):
    """Members and open invitations; admins invite (a user joins by accepting), revoke
    invitations and remove members."""

    template_name = "alignment/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.membership_list(workspace=self.workspace)
        context["invitations"] = selectors.invitation_list(workspace=self.workspace)
        context["form"] = kwargs.get("form") or MemberInviteForm()
        return context

    def post(self, request, *args, **kwargs):
        form = MemberInviteForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_create(
                    actor=request.user, workspace=self.workspace, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The same words for every name: the page does not tell who has an account.
                username = form.cleaned_data["username"]
                messages.success(request, f"If {username} is a user here, they have been invited.")
                return redirect("member_list", workspace_slug=self.workspace.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


@login_required
@require_POST
def member_remove(request, workspace_slug, username):
    membership = get_membership_or_404(request.user, workspace_slug)
    target = (
        selectors.membership_list(workspace=membership.workspace)
        .filter(user__username=username)
        .first()
    )
    if target is None:
        raise Http404("No such member.")
    try:
        services.membership_remove(actor=request.user, membership=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{username} removed.")
    return redirect("member_list", workspace_slug=workspace_slug)


@login_required
@require_POST
def invitation_revoke(request, workspace_slug, pk):
    membership = get_membership_or_404(request.user, workspace_slug)
    invitation = selectors.invitation_list(workspace=membership.workspace).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation of {invitation.username} was revoked.")
    return redirect("member_list", workspace_slug=workspace_slug)


# --- Workspace settings -----------------------------------------------------------------


class WorkspaceSettingsView(WorkspaceUpdateView):
    """The workspace's name and currency (admins only)."""

    model = Workspace
    form_class = WorkspaceSettingsForm
    template_name = "alignment/workspace_settings.html"
    update_service = staticmethod(services.workspace_update)
    success_message = "Workspace settings saved."

    def get_object(self, queryset=None):
        if not self.membership.can_manage_members:
            raise PermissionDenied("Only workspace admins can change its settings.")
        return self.workspace

    def get_success_url(self):
        return reverse("workspace_settings", args=[self.workspace.slug])


# --- Products ---------------------------------------------------------------------------


class ProductListView(WorkspaceListView):
    model = Product
    filterset_class = ProductFilterSet
    selector = staticmethod(selectors.product_list)


class ProductDetailView(WorkspaceDetailView):
    model = Product

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["features"] = selectors.feature_list(
            workspace=self.workspace, filters={"product": self.object.pk}
        )
        return context


class ProductCreateView(WorkspaceCreateView):
    model = Product
    template_name = "form_page.html"
    form_class = ProductForm
    create_service = staticmethod(services.product_create)


class ProductUpdateView(WorkspaceUpdateView):
    model = Product
    template_name = "form_page.html"
    form_class = ProductForm
    update_service = staticmethod(services.product_update)


class ProductDeleteView(WorkspaceDeleteView):
    model = Product
    list_url = "product_list"


# --- Features ---------------------------------------------------------------------------


class FeatureListView(WorkspaceListView):
    model = Feature
    filterset_class = FeatureFilterSet
    selector = staticmethod(selectors.feature_list)


class FeatureDetailView(WorkspaceDetailView):
    model = Feature
    selector = staticmethod(selectors.feature_list)


class FeatureCreateView(WorkspaceCreateView):
    model = Feature
    template_name = "form_page.html"
    form_class = FeatureForm
    create_service = staticmethod(services.feature_create)

    def get_initial(self):
        # "Add feature" from a product page preselects that product.
        return {"product": self.request.GET.get("product")}


class FeatureUpdateView(WorkspaceUpdateView):
    model = Feature
    template_name = "form_page.html"
    form_class = FeatureForm
    update_service = staticmethod(services.feature_update)


class FeatureDeleteView(WorkspaceDeleteView):
    model = Feature
    list_url = "feature_list"


class SearchView(WorkspaceViewMixin, TemplateView):
    """The results page of the top bar's search box."""

    template_name = "alignment/search.html"

    def get_context_data(self, **kwargs):
        from alignment.search import MAX_QUERY_LENGTH
        from alignment.search import MIN_QUERY_LENGTH
        from alignment.search import clean_query
        from alignment.search import search

        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q") or "")
        groups = search(workspace=self.workspace, query=query)
        context.update(
            q=query,
            groups=groups,
            result_count=sum(len(group.results) for group in groups),
            min_length=MIN_QUERY_LENGTH,
            max_length=MAX_QUERY_LENGTH,
        )
        return context
