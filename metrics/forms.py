from django import forms

from alignment.mixins import WorkspaceModelForm
from metrics.importing.reader import CONTRACTS
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping
from metrics.models import DiagnosticSettings
from metrics.models import ImportKind
from metrics.services.diagnostics import SETTINGS_FIELDS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices)
    file = forms.FileField(
        help_text="CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or XLSX."
    )
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(),
        required=False,
        help_text="A saved column mapping of this workspace, for exports with other headers.",
    )
    preset = forms.ChoiceField(
        choices=[("", "Detect")] + [(key, value["label"]) for key, value in PRESETS.items()],
        required=False,
        help_text="Or a built-in mapping for an ad-platform export.",
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ColumnMapping.objects.in_workspace(workspace)


class PairsField(forms.CharField):
    """`key = value` lines, cleaned into a dict."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{key} = {item}" for key, item in value.items())
        return value

    def to_python(self, value):
        pairs = {}
        for number, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, item = line.partition("=")
            if not sep or not key.strip():
                raise forms.ValidationError(f"Line {number}: write it as 'header = field'.")
            pairs[key.strip()] = item.strip()
        return pairs


class ColumnMappingForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=ImportKind.choices)
    columns = PairsField(
        help_text="One per line: the export's header = a field of the contract ("
        + "; ".join(f"{kind}: {', '.join(c.fields)}" for kind, c in CONTRACTS.items())
        + ")."
    )
    defaults = PairsField(
        required=False, help_text="Constant values: field = value, e.g. channel = google_ads."
    )

    def __init__(self, *args, workspace=None, **kwargs):
        super().__init__(*args, **kwargs)


class DiagnosticSettingsForm(WorkspaceModelForm):
    class Meta:
        model = DiagnosticSettings
        fields = list(SETTINGS_FIELDS)
