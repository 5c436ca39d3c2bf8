from django import forms

from alignment.mixins import WorkspaceModelForm
from research.models import (
    Competitor,
    Evidence,
    Insight,
    JourneyMap,
    Opportunity,
    Persona,
    Segment,
    Study,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PersonaForm(WorkspaceModelForm):
    class Meta:
        model = Persona
        fields = [
            "name", "summary", "goals", "pains", "jobs_to_be_done", "channels", "current_tools",
        ]  # fmt: skip
        widgets = dict.fromkeys(fields[1:], TEXTAREA)


class SegmentForm(WorkspaceModelForm):
    class Meta:
        model = Segment
        fields = ["name", "criteria", "description", "personas"]
        widgets = {"criteria": TEXTAREA, "description": TEXTAREA}


class StudyForm(WorkspaceModelForm):
    class Meta:
        model = Study
        fields = [
            "title", "kind", "started_on", "ended_on", "summary", "survey", "personas", "segments",
        ]  # fmt: skip
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }


class TagsField(forms.CharField):
    """Comma-separated tag names; the service reuses the workspace's tags by name."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(getattr(tag, "name", str(tag)) for tag in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


class InsightForm(WorkspaceModelForm):
    tags = TagsField(
        required=False, help_text="Comma-separated; existing tags are reused.", max_length=1000
    )

    class Meta:
        model = Insight
        fields = [
            "title", "body", "evidence", "source", "sentiment", "study", "personas", "features",
            "competitors", "tags",
        ]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].queryset = self.fields["features"].queryset.select_related(
            "product"
        )
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())


class QuickInsightForm(InsightForm):
    """The one-form page: the few fields you fill while the customer is still talking."""

    class Meta(InsightForm.Meta):
        fields = ["title", "evidence", "source", "sentiment", "personas", "features", "tags"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }


class InsightImportForm(forms.Form):
    file = forms.FileField(help_text="CSV columns: title, body, source, tags, persona, feature.")


class OpportunityForm(WorkspaceModelForm):
    class Meta:
        model = Opportunity
        fields = ["title", "persona", "problem", "reason", "signal", "description", "features"]
        labels = {
            "persona": "We believe… (persona)",
            "problem": "…has (problem)",
            "reason": "…because (reason)",
            "signal": "We will know we are right when (signal)",
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "signal": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].queryset = self.fields["features"].queryset.select_related(
            "product"
        )


class OpportunityStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Opportunity.Status.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class EvidenceForm(WorkspaceModelForm):
    class Meta:
        model = Evidence
        fields = ["insight", "stance"]


class CompetitorForm(WorkspaceModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Competitor
        fields = ["name", "website", "positioning", "strengths", "weaknesses"]
        widgets = dict.fromkeys(fields[2:], TEXTAREA)


class JourneyMapForm(WorkspaceModelForm):
    class Meta:
        model = JourneyMap
        fields = ["persona", "name", "description"]
        widgets = {"description": TEXTAREA}


class JourneyStageForm(forms.Form):
    name = forms.CharField(max_length=120)
    touchpoints = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pains = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opportunities = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


JourneyStageFormSet = forms.formset_factory(
    JourneyStageForm, extra=2, max_num=30, validate_max=True, can_delete=True, can_order=True
)
