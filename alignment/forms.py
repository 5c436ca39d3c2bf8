from django import forms

from alignment.mixins import WorkspaceModelForm
from alignment.models import Feature
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from alignment.services import FEATURE_FIELDS
from alignment.services import PRODUCT_FIELDS


class LinesField(forms.CharField):
    """A textarea holding one value per line, cleaned into a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProductForm(WorkspaceModelForm):
    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class FeatureForm(WorkspaceModelForm):
    media_links = LinesField(
        required=False, help_text="Screenshots, videos or docs: one URL per line."
    )
    external_refs = LinesField(
        required=False,
        label="External references",
        help_text="Jira or Linear keys (PAY-123) or github:owner/repo@tag, one per line: "
        "a release of one arriving by inbound hook releases the feature.",
    )

    class Meta:
        model = Feature
        fields = list(FEATURE_FIELDS)
        widgets = {
            "release_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "anticipated_value": forms.Textarea(attrs={"rows": 3}),
        }


class WorkspaceCreateForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "slug"]
        help_texts = {"slug": "Used in addresses and the API: letters, digits and dashes."}


class WorkspaceSettingsForm(forms.ModelForm):
    """The workspace's name and the currency its money is shown in."""

    class Meta:
        model = Workspace
        fields = ["name", "currency"]

    def __init__(self, *args, workspace=None, **kwargs):
        super().__init__(*args, **kwargs)


class MemberInviteForm(forms.Form):
    username = forms.CharField(
        max_length=150, help_text="They become a member when they accept the invitation."
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
