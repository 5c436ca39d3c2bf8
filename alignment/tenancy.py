"""Tenancy: the one mechanism that keeps every query inside the caller's workspaces.

A Workspace is the tenant. Every domain model inherits WorkspaceScopedModel, so it carries
`workspace` directly and its manager offers `.in_workspace(ws)` and `.for_user(user)`.
Views, viewsets, forms and the admin reach data only through the mixins built on these
(alignment/api/base.py, alignment/views.py, alignment/forms.py, alignment/admin.py).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.http import Http404


class WorkspaceQuerySet(models.QuerySet):
    """Querysets of workspace-scoped rows."""

    def in_workspace(self, workspace):
        return self.filter(workspace=workspace)

    def for_user(self, user):
        """Rows of every workspace the user is a member of; nothing for anonymous users."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(workspace__memberships__user=user)


class WorkspaceScopedModel(models.Model):
    """Abstract base of every domain row: the workspace is carried directly."""

    workspace = models.ForeignKey("alignment.Workspace", on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.validate_same_workspace()

    def validate_constraints(self, exclude=None):
        """Report a case-insensitive unique name clash on the field, not on the whole row."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(self._errors_on_expression_fields(error)) from None

    def _errors_on_expression_fields(self, error: ValidationError) -> dict:
        errors = error.update_error_dict({})
        for constraint in self._meta.constraints:
            expressions = getattr(constraint, "expressions", ())
            # e.g. UniqueConstraint("workspace", Lower("name")): the clash is about "name".
            names = {
                ref.name
                for expression in expressions
                if not isinstance(expression, models.F)
                for ref in expression.flatten()
                if isinstance(ref, models.F)
            }
            message = constraint.get_violation_error_message()
            non_field = errors.get(NON_FIELD_ERRORS, [])
            if len(names) == 1 and any(message in e.messages for e in non_field):
                errors[NON_FIELD_ERRORS] = [e for e in non_field if message not in e.messages]
                errors.setdefault(names.pop(), []).append(ValidationError(message))
        return {field: messages for field, messages in errors.items() if messages}

    def validate_same_workspace(self):
        """Every scoped row this one points at must live in the same workspace."""
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "workspace":
                continue
            if not issubclass(field.related_model, WorkspaceScopedModel):
                continue
            related_id = getattr(self, field.attname)
            if related_id is None:
                continue
            related = getattr(self, field.name)
            if related.workspace_id != self.workspace_id:
                # Same wording as a missing object: another tenant's row does not exist here.
                errors[field.name] = [INVALID_CHOICE]
        if errors:
            raise ValidationError(errors)


INVALID_CHOICE = "Select a valid choice. That choice does not exist."


def refuse_foreign_links(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """`m2m_changed` receiver: a many-to-many link between scoped rows of two workspaces
    (or to a user who is not a member) is refused on every write path - forms, API,
    services, admin, shell - before it is stored. Services check first, with the field's
    name in the error; this is the backstop that cannot be forgotten."""
    if action != "pre_add" or not pk_set:
        return
    from alignment.models import Membership

    added = model._default_manager.filter(pk__in=pk_set)
    if isinstance(instance, WorkspaceScopedModel) and issubclass(model, WorkspaceScopedModel):
        foreign = added.exclude(workspace_id=instance.workspace_id)
    elif isinstance(instance, WorkspaceScopedModel):  # users: members of the workspace only
        members = Membership.objects.filter(workspace_id=instance.workspace_id)
        foreign = added.exclude(pk__in=members.values("user_id"))
    else:  # a user's side of the link: rows of workspaces the user is a member of only
        mine = Membership.objects.filter(user_id=instance.pk).values("workspace_id")
        foreign = added.exclude(workspace_id__in=mine)
    if foreign.exists():
        raise ValidationError({_link_name(sender, instance): [INVALID_CHOICE]})


def _link_name(through, instance) -> str:
    options = type(instance)._meta
    for field in options.many_to_many:
        if field.remote_field.through is through:
            return field.name
    for relation in options.related_objects:
        if relation.many_to_many and relation.through is through:
            return relation.get_accessor_name()
    return NON_FIELD_ERRORS


def connect_link_guards() -> None:
    """Connect `refuse_foreign_links` to every many-to-many field of a scoped model."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed

    for scoped in apps.get_models():
        if not issubclass(scoped, WorkspaceScopedModel):
            continue
        for field in scoped._meta.local_many_to_many:
            m2m_changed.connect(
                refuse_foreign_links,
                sender=field.remote_field.through,
                dispatch_uid=f"tenancy-links-{scoped._meta.label}.{field.name}",
            )


def is_workspace_scoped(model) -> bool:
    return isinstance(model, type) and issubclass(model, WorkspaceScopedModel)


def get_membership_or_404(user, slug: str):
    """The user's membership of the workspace `slug`; 404 when missing or not a member."""
    from alignment.models import Membership

    if user is None or not user.is_authenticated:
        raise Http404("No such workspace.")
    try:
        membership = Membership.objects.select_related("workspace").get(
            user=user, workspace__slug=slug
        )
    except Membership.DoesNotExist:
        raise Http404("No such workspace.") from None
    membership.user = user  # already loaded: not read again
    return membership


def memberships_of_request(request) -> list:
    """The signed-in user's memberships, each with its workspace, by workspace name.

    Read once per request: a page's own membership (`request_membership_or_404`) and its
    workspace switcher (alignment/context_processors.py) come from this one query.
    """
    from alignment.models import Membership

    memberships = getattr(request, "_memberships", None)
    if memberships is None:
        user = request.user
        memberships = (
            list(
                Membership.objects.filter(user=user)
                .select_related("workspace")
                .order_by("workspace__name", "workspace_id")
            )
            if user.is_authenticated
            else []
        )
        request._memberships = memberships
    return memberships


def request_membership_or_404(request, slug: str):
    """`get_membership_or_404` for the request's user, from `memberships_of_request`."""
    for membership in memberships_of_request(request):
        if membership.workspace.slug == slug:
            membership.user = request.user
            return membership
    raise Http404("No such workspace.")


def narrow_related_querysets(fields, workspace) -> None:
    """Restrict every choice of a scoped model to `workspace` (forms and serializers).

    `fields` maps names to objects with a `queryset` attribute (Django form fields, DRF
    related fields or their `child_relation`). An id from another workspace then fails
    validation exactly like an id that does not exist.
    """
    for field in fields.values():
        target = getattr(field, "child_relation", field)
        queryset = getattr(target, "queryset", None)
        if queryset is not None and is_workspace_scoped(queryset.model):
            target.queryset = queryset.in_workspace(workspace)


def unique_per_workspace(
    model: str, field: str = "name", *, noun: str = ""
) -> models.UniqueConstraint:
    """`field` is unique in a workspace, in any case (imports find rows by it): the constraint
    `<model>_unique_<field>_per_workspace`, reported on the field as "A <noun> with this <field>
    already exists." (the noun defaults to the model's name with spaces)."""
    noun = noun or model.replace("_", " ")
    return models.UniqueConstraint(
        "workspace",
        Lower(field),
        name=f"{model}_unique_{field}_per_workspace",
        violation_error_message=f"A {noun} with this {field} already exists.",
    )
