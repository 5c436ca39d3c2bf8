from decimal import Decimal

from django import forms

from alignment.mixins import WorkspaceModelForm
from alignment.models import Feature
from research.models import MAX_BODY_LENGTH
from research.models import Competitor
from research.models import Evidence
from research.models import Highlight
from research.models import Horizon
from research.models import Insight
from research.models import JourneyMap
from research.models import Opportunity
from research.models import Persona
from research.models import Segment
from research.models import Study
from research.scoring import IMPACT_LEVELS
from research.services.knowledge import COMPETITOR_FIELDS
from research.services.knowledge import INSIGHT_FIELDS
from research.services.knowledge import JOURNEY_MAP_FIELDS
from research.services.knowledge import PERSONA_FIELDS
from research.services.knowledge import STUDY_FIELDS
from research.services.roadmap import MAX_POSITION

TEXTAREA = forms.Textarea(attrs={"rows": 3})
IMPACT_CHOICES = sorted(IMPACT_LEVELS.items(), reverse=True)


class PersonaForm(WorkspaceModelForm):
    class Meta:
        model = Persona
        fields = list(PERSONA_FIELDS)
        widgets = dict.fromkeys(fields[1:], TEXTAREA)


class SegmentForm(WorkspaceModelForm):
    class Meta:
        model = Segment
        fields = ["name", "criteria", "description", "personas"]
        widgets = {"criteria": TEXTAREA, "description": TEXTAREA}


class StudyForm(WorkspaceModelForm):
    class Meta:
        model = Study
        fields = [*STUDY_FIELDS, "personas", "segments"]
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
        fields = [*INSIGHT_FIELDS, "personas", "features", "competitors", "tags"]
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
        fields = list(COMPETITOR_FIELDS)
        widgets = dict.fromkeys(fields[2:], TEXTAREA)


class JourneyMapForm(WorkspaceModelForm):
    class Meta:
        model = JourneyMap
        fields = list(JOURNEY_MAP_FIELDS)
        widgets = {"description": TEXTAREA}


class JourneyStageForm(forms.Form):
    name = forms.CharField(max_length=120)
    touchpoints = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pains = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opportunities = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


JourneyStageFormSet = forms.formset_factory(
    JourneyStageForm, extra=2, max_num=30, validate_max=True, can_delete=True, can_order=True
)


class OpportunityScoreForm(WorkspaceModelForm):
    """RICE inputs: impact and effort, and overrides of the evidence's reach and confidence
    (each with its reason; empty: the evidence default). research.scoring checks them."""

    impact = forms.TypedChoiceField(
        choices=[("", "—")]
        + [(f"{level:.2f}", f"{level.normalize()} · {label}") for level, label in IMPACT_CHOICES],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Opportunity
        fields = ["impact", "effort", "reach", "reach_reason", "confidence", "confidence_reason"]
        labels = {
            "effort": "Effort (person-weeks)",
            "reach": "Reach override",
            "confidence": "Confidence override (0–1)",
        }


class RoadmapMoveForm(forms.Form):
    """Put an opportunity in a roadmap column (empty: off the roadmap), at a position."""

    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none())
    horizon = forms.ChoiceField(
        choices=[("", "Not on the roadmap"), *Horizon.choices], required=False
    )
    position = forms.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = Opportunity.objects.in_workspace(workspace)

    def clean_horizon(self):
        return self.cleaned_data["horizon"] or None


# --- Highlights, evidence from an insight's page, transcripts (#25) -----------------------


class HighlightForm(forms.Form):
    """A passage selected on the insight's page: offsets into its body's source (filled
    by static/js/highlights.js), with tags and an optional persona or feature."""

    start = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    tags = TagsField(
        required=False, max_length=1000, help_text="Comma-separated; existing tags are reused."
    )
    persona = forms.ModelChoiceField(queryset=Persona.objects.none(), required=False)
    feature = forms.ModelChoiceField(queryset=Feature.objects.none(), required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = Persona.objects.in_workspace(workspace)
        self.fields["feature"].queryset = Feature.objects.in_workspace(workspace).select_related(
            "product"
        )


class InsightEvidenceForm(forms.Form):
    """From an insight's page: the insight (or one of its highlights) as evidence for an
    opportunity."""

    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none())
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    highlight = forms.ModelChoiceField(
        queryset=Highlight.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, workspace, insight=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = Opportunity.objects.in_workspace(workspace)
        highlights = Highlight.objects.in_workspace(workspace)
        self.fields["highlight"].queryset = (
            highlights.filter(insight=insight) if insight is not None else highlights.none()
        )


class TranscriptInsightForm(forms.Form):
    """A pasted transcript becomes an insight's body, whose passages are then highlighted."""

    title = forms.CharField(max_length=200)
    source = forms.CharField(
        max_length=200, required=False, help_text="Where it comes from: a call, an interview."
    )
    study = forms.ModelChoiceField(queryset=Study.objects.none(), required=False)
    transcript = forms.CharField(
        max_length=MAX_BODY_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Pasted as it is; select passages on the insight's page to highlight them.",
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study"].queryset = Study.objects.in_workspace(workspace)


class OpportunityPersonaForm(forms.Form):
    """Link the persona a free-text hypothesis was suggested to mean."""

    persona = forms.ModelChoiceField(queryset=Persona.objects.none())

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = Persona.objects.in_workspace(workspace)
