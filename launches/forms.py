from datetime import date
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from alignment.dates import SpanDateField
from alignment.mixins import WorkspaceInlineFormSet
from alignment.mixins import WorkspaceModelForm
from alignment.models import Feature
from alignment.models import Product
from alignment.teams import WORK_TEAM_CHOICES
from launches.models import Campaign
from launches.models import GtmSettings
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import Release
from launches.services import launch_template_check_items
from launches.services.launch_templates import TEMPLATE_FIELDS
from launches.services.launch_templates import TEMPLATE_ITEM_FIELDS
from launches.services.plans import MILESTONE_FIELDS

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"})
MAX_CALENDAR_DAYS = 400


class LaunchForm(WorkspaceModelForm):
    template = forms.ModelChoiceField(
        queryset=LaunchTemplate.objects.all(),
        required=False,
        help_text="Lays out the template's tasks and milestones around the launch date.",
    )

    class Meta:
        model = Launch
        fields = ["name", "product", "features", "objectives", "tier", "launch_date", "goals"]
        widgets = {"launch_date": DATE, "goals": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"launch_date": "Moving it moves every undone task and milestone."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].queryset = self.fields["features"].queryset.select_related(
            "product"
        )
        if self.instance.pk:
            del self.fields["template"]  # applied once, when the launch is created


class LaunchTaskForm(WorkspaceModelForm):
    class Meta:
        model = LaunchTask
        fields = [
            "title",
            "team",
            "assignee",
            "due_date",
            "status",
            "channel",
            "milestone",
            "depends_on",
            "description",
        ]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, launch, **kwargs):
        super().__init__(*args, **kwargs)
        self.launch = launch
        self.fields["assignee"].queryset = User.objects.filter(
            memberships__workspace=self.workspace
        ).order_by("username")
        self.fields["milestone"].queryset = launch.milestones.all()
        others = launch.tasks.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others
        if not self.instance.pk:
            self.instance.launch = launch


class MilestoneForm(WorkspaceModelForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        widgets = {"due_date": DATE}

    def __init__(self, *args, launch, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.launch = launch


class CampaignForm(WorkspaceModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "channel", "features", "start_date", "end_date", "budget"]
        widgets = {"start_date": DATE, "end_date": DATE}


class ReleaseForm(WorkspaceModelForm):
    class Meta:
        model = Release
        fields = ["product", "version", "date", "features", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class LaunchTemplateForm(WorkspaceModelForm):
    class Meta:
        model = LaunchTemplate
        fields = list(TEMPLATE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TitleListField(forms.CharField):
    """Titles separated by semicolons in one input; a list of titles in cleaned_data."""

    SEPARATOR = ";"

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return f"{self.SEPARATOR} ".join(str(title) for title in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            titles = value
        else:
            titles = (super().to_python(value) or "").split(self.SEPARATOR)
        return [title for title in (" ".join(str(t).split()) for t in titles) if title]

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class LaunchTemplateItemForm(forms.ModelForm):
    depends_on = TitleListField(
        required=False,
        label="After",
        help_text="For a task: the titles of the tasks it comes after, separated by ';'.",
    )

    class Meta:
        model = LaunchTemplateItem
        fields = list(TEMPLATE_ITEM_FIELDS)


class TemplateItemBaseFormSet(WorkspaceInlineFormSet):
    """Items carry their template's workspace, set before model validation runs, and
    their dependencies meet the same rules as through the service (named per item)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        items = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            launch_template_check_items(items=items)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["items"]) from error


LaunchTemplateItemFormSet = inlineformset_factory(
    LaunchTemplate,
    LaunchTemplateItem,
    form=LaunchTemplateItemForm,
    formset=TemplateItemBaseFormSet,
    fields=["kind", "title", "team", "offset_days", "milestone_kind", "channel", "depends_on"],
    extra=3,
    can_delete=True,
)


class GtmSettingsForm(forms.ModelForm):
    class Meta:
        model = GtmSettings
        fields = ["conflict_window_days"]


class StatusForm(forms.Form):
    status = forms.CharField()


class CalendarQueryForm(forms.Form):
    """The calendar's query: `from`, `to`, `product`, `team` (API and pages alike)."""

    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False)
    team = forms.ChoiceField(choices=[("", "All teams"), *WORK_TEAM_CHOICES], required=False)
    date = SpanDateField(required=False, label="Date")  # the page's period: its month or week

    def __init__(self, data=None, *, workspace, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["product"].queryset = Product.objects.in_workspace(workspace)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if "from" in self.errors or "to" in self.errors:
            return cleaned
        today = date.today()
        if start is None and end is None:
            start = today.replace(day=1)
        if start is None:
            start = end - timedelta(days=30)
        if end is None:
            end = start + timedelta(days=41)
        if end < start:
            self.add_error("to", "The end of the range cannot be before its start.")
        elif (end - start).days > MAX_CALENDAR_DAYS:
            self.add_error("to", f"The range can span at most {MAX_CALENDAR_DAYS} days.")
        cleaned["from"], cleaned["to"] = start, end
        return cleaned


# "from" is a Python keyword, so these two are added to the declared fields by name.
CalendarQueryForm.base_fields["from"] = SpanDateField(required=False, label="From")
CalendarQueryForm.base_fields["to"] = SpanDateField(required=False, label="To")


class ConflictQueryForm(forms.Form):
    """Optional bounds of `calendar/conflicts/`: release dates, a product, a feature, a launch."""

    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False)
    feature = forms.ModelChoiceField(queryset=Feature.objects.all(), required=False)
    launch = forms.ModelChoiceField(queryset=Launch.objects.all(), required=False)

    def __init__(self, data=None, *, workspace, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("product", "feature", "launch"):
            self.fields[name].queryset = self.fields[name].queryset.in_workspace(workspace)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", "The end of the range cannot be before its start.")
        return cleaned


ConflictQueryForm.base_fields["from"] = forms.DateField(required=False, label="From")
ConflictQueryForm.base_fields["to"] = forms.DateField(required=False, label="To")
