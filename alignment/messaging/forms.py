"""Forms of the messaging pages. Choices are narrowed to the workspace (and its members)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model

from alignment import measures
from alignment.messaging.models import ActionItem
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Kpi
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import Review
from alignment.messaging.models import SyncMeeting
from alignment.messaging.services.claims import CLAIM_FIELDS
from alignment.messaging.services.documents import DOCUMENT_FIELDS
from alignment.messaging.services.meetings import ACTION_ITEM_FIELDS
from alignment.messaging.services.objectives import OBJECTIVE_FIELDS
from alignment.mixins import WorkspaceModelForm
from alignment.models import Feature
from alignment.teams import WORK_TEAM_CHOICES

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"})


class UsernameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UsernameMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class MessagingForm(WorkspaceModelForm):
    """Also narrows user choices to members of the workspace."""

    user_fields: tuple[str, ...] = ()

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, workspace=workspace, **kwargs)
        members = User.objects.filter(memberships__workspace=workspace).order_by("username")
        for name in self.user_fields:
            self.fields[name].queryset = members


class PositioningForm(MessagingForm):
    class Meta:
        model = Positioning
        fields = [
            "product",
            "persona",
            "target_customer",
            "need",
            "alternative",
            "our_product",
            "differentiator",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["target_customer", "need", "alternative", "our_product", "differentiator"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A positioning is for one product and persona: edits make new versions of it.
            self.fields["product"].disabled = True
            self.fields["persona"].disabled = True


class ClaimForm(MessagingForm):
    class Meta:
        model = Claim
        fields = [*CLAIM_FIELDS, "personas"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            "proof_point": forms.Textarea(attrs={"rows": 2}),
            "personas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feature"].queryset = self.fields["feature"].queryset.select_related("product")


class HandoffDocumentForm(MessagingForm):
    class Meta:
        model = HandoffDocument
        fields = list(DOCUMENT_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "class": "markdown"})}
        help_texts = {
            "body": "Markdown. Leave it empty on a new document to start from the template "
            "of its kind (the press release follows the working-backwards format)."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feature"].queryset = self.fields["feature"].queryset.select_related("product")


class ObjectiveForm(MessagingForm):
    user_fields = ("product_owner", "marketing_owner")
    product_owner = UsernameChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Recommended: the product manager who answers for it.",
    )
    marketing_owner = UsernameChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Recommended: the product marketing manager who answers for it.",
    )

    class Meta:
        model = Objective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "period_start": DATE,
            "period_end": DATE,
        }


class ObjectiveTargetForm(forms.Form):
    """A KPI target, typed as it reads (3.5 for 3.5%) and measured over a scope picked by
    name: the whole workspace, or one of its products, features, campaigns or channels."""

    kpi = forms.ChoiceField(label="KPI", choices=Kpi.choices)
    target = forms.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="In the KPI's unit: rates in % (3.5 for 3.5%), ROAS as × (2.5), money in "
        "the workspace's currency, NPS in points, totals as counts. A total (spend, revenue, "
        "visits, purchases) is the whole period's.",
    )
    direction = forms.ChoiceField(
        choices=[("", "The KPI's usual way"), *ObjectiveTarget.Direction.choices],
        required=False,
    )
    scope = forms.ChoiceField(
        label="Measured over",
        error_messages={
            "invalid_choice": "Choose the workspace, or a product, feature, campaign or "
            "channel of it from the list."
        },
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = measures.engine().scope_choices(workspace)
        self.fields["scope"].initial = ObjectiveTarget.Scope.WORKSPACE

    def clean(self):
        data = super().clean()
        kpi, number, choice = data.get("kpi"), data.get("target"), data.get("scope")
        if number is not None and kpi:
            value = measures.engine().target_from_input(kpi, number)
            data["target"] = value.quantize(Decimal("0.0001"))
        if choice:
            data.update(scope_from_choice(choice))
        return data


def scope_from_choice(choice: str) -> dict:
    """A scope choice ("workspace", "feature:12", "channel:email") as the target's fields
    scope, scope_id and scope_value."""
    scope, _, key = choice.partition(":")
    fields = {"scope": scope, "scope_id": None, "scope_value": ""}
    if scope == ObjectiveTarget.Scope.CHANNEL:
        fields["scope_value"] = key
    elif key:
        fields["scope_id"] = int(key)
    return fields


def scope_choice_of(target: ObjectiveTarget) -> str:
    """The scope choice of a saved target: the inverse of scope_from_choice."""
    if target.scope == ObjectiveTarget.Scope.CHANNEL:
        return f"channel:{target.scope_value}"
    if target.scope_id is not None:
        return f"{target.scope}:{target.scope_id}"
    return ObjectiveTarget.Scope.WORKSPACE


def subject_choices(workspace) -> list:
    """Grouped choices "feature:<id>", "campaign:<id>", "launch:<id>" of the workspace."""
    groups = [
        (
            "Features",
            [
                (f"feature:{feature.pk}", str(feature))
                for feature in Feature.objects.in_workspace(workspace).select_related("product")
            ],
        )
    ]
    for label, subject_type, model_name in [
        ("Campaigns", "campaign", "Campaign"),
        ("Launches", "launch", "Launch"),
    ]:
        try:
            model = apps.get_model("launches", model_name)
        except LookupError:
            continue
        rows = model.objects.in_workspace(workspace)
        groups.append((label, [(f"{subject_type}:{row.pk}", str(row)) for row in rows]))
    return [("", "---------"), *groups]


class FeedbackForm(MessagingForm):
    subject = forms.ChoiceField(label="About")
    subject_type = forms.CharField(widget=forms.HiddenInput, required=False)
    subject_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    from_team = forms.ChoiceField(choices=WORK_TEAM_CHOICES)
    to_team = forms.ChoiceField(choices=WORK_TEAM_CHOICES)

    class Meta:
        model = Feedback
        fields = ["from_team", "to_team", "subject_type", "subject_id", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices(self.workspace)
        self.order_fields(["from_team", "to_team", "subject", "title", "body"])

    def clean(self):
        cleaned = super().clean()
        subject_type, _, subject_id = (cleaned.get("subject") or "").partition(":")
        cleaned["subject_type"] = subject_type
        cleaned["subject_id"] = int(subject_id) if subject_id.isdigit() else None
        return cleaned

    def _post_clean(self):
        pass  # the service validates the model (and the subject) in one place


class FeedbackEditForm(MessagingForm):
    class Meta:
        model = Feedback
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class SyncMeetingForm(MessagingForm):
    user_fields = ("attendees",)
    attendees = UsernameMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SyncMeeting
        fields = ["title", "date", "attendees", "updates", "goals", "challenges", "decisions"]
        widgets = {
            "date": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ["updates", "goals", "challenges", "decisions"]
            },
        }


class ActionItemForm(MessagingForm):
    user_fields = ("owner",)
    owner = UsernameChoiceField(queryset=User.objects.none())

    class Meta:
        model = ActionItem
        fields = list(ACTION_ITEM_FIELDS)
        widgets = {"due_date": DATE}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=Review.Decision.choices)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))
