"""Themes: the cards page (rename, pin, merge, recompute) and a theme's page (split off or
move its insights). Reads through research.selectors, writes through research.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from alignment.mixins import WorkspaceViewMixin
from alignment.models import Feature
from alignment.routing import workspace_url
from research import selectors
from research import services
from research.models import Insight
from research.models import Persona
from research.models import Theme

SPARK_WIDTH, SPARK_HEIGHT = 120, 28


def sparkline(trend: list[dict]) -> dict:
    """Polyline points of a weekly trend for an inline SVG (no script needed)."""
    counts = [week["count"] for week in trend]
    top = max(counts, default=0) or 1
    step = SPARK_WIDTH / max(len(counts) - 1, 1)
    points = " ".join(
        f"{index * step:.1f},{SPARK_HEIGHT - 2 - (count / top) * (SPARK_HEIGHT - 4):.1f}"
        for index, count in enumerate(counts)
    )
    return {
        "points": points,
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "total": sum(counts),
        "first": trend[0]["week"] if trend else "",
        "last": trend[-1]["week"] if trend else "",
    }


class ThemeLabelForm(forms.Form):
    label = forms.CharField(max_length=Theme._meta.get_field("label").max_length)


class ThemePinForm(forms.Form):
    pinned = forms.BooleanField(required=False)


class ThemeMergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Merge into")

    def __init__(self, *args, workspace, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Theme.objects.in_workspace(workspace).order_by("label", "pk")
        self.fields["into"].queryset = queryset.exclude(pk=exclude) if exclude else queryset


class ThemeInsightsForm(forms.Form):
    insights = forms.ModelMultipleChoiceField(queryset=Insight.objects.none())
    to = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, label="Move to")

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insights"].queryset = Insight.objects.in_workspace(theme.workspace).filter(
            theme_memberships__theme=theme
        )
        self.fields["to"].queryset = (
            Theme.objects.in_workspace(theme.workspace).exclude(pk=theme.pk).order_by("label")
        )


def _cards(workspace, themes) -> list[dict]:
    """Everything a theme card shows, with the personas and features named in two
    queries for the whole page."""
    related = {
        theme.pk: (
            selectors.theme_top_related(theme, "personas"),
            selectors.theme_top_related(theme, "features"),
        )
        for theme in themes
    }
    persona_ids = {pk for personas, _ in related.values() for pk in personas}
    feature_ids = {pk for _, features in related.values() for pk in features}
    personas = (
        Persona.objects.in_workspace(workspace).select_related("workspace").in_bulk(persona_ids)
    )
    features = Feature.objects.in_workspace(workspace).in_bulk(feature_ids)
    cards = []
    for theme in themes:
        persona_pks, feature_pks = related[theme.pk]
        trend = selectors.theme_trend(theme)
        cards.append(
            {
                "theme": theme,
                "trend": trend,
                "spark": sparkline(trend),
                "personas": [personas[pk] for pk in persona_pks if pk in personas],
                "features": [features[pk] for pk in feature_pks if pk in features],
            }
        )
    return cards


class ThemeListView(WorkspaceViewMixin, TemplateView):
    template_name = "research/theme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        themes = list(selectors.theme_list(workspace=self.workspace))
        context["cards"] = _cards(self.workspace, themes)
        context["themes"] = themes
        context["insight_total"] = Insight.objects.in_workspace(self.workspace).count()
        context["themed_total"] = sum(theme.insight_count for theme in themes)
        context["errors"] = kwargs.get("errors")
        return context


class ThemeDetailView(WorkspaceViewMixin, TemplateView):
    template_name = "research/theme_detail.html"

    def get_theme(self):
        return get_object_or_404(
            selectors.theme_list(workspace=self.workspace), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = kwargs.get("theme") or self.get_theme()
        context["theme"] = theme
        context["card"] = _cards(self.workspace, [theme])[0]
        context["insights"] = selectors.theme_insights(theme=theme)
        context["manual"] = {row.insight_id for row in theme.member_rows if row.manual}
        context["others"] = (
            Theme.objects.in_workspace(self.workspace).exclude(pk=theme.pk).order_by("label")
        )
        context["errors"] = kwargs.get("errors")
        return context


class ThemeActionView(WorkspaceViewMixin, TemplateView):
    """POST-only edits of a theme; bad input re-renders the page it came from with a 400."""

    requires_write = True
    http_method_names = ["post"]

    def get_theme(self):
        theme = Theme.objects.in_workspace(self.workspace).filter(pk=self.kwargs["pk"]).first()
        if theme is None:
            raise Http404("No such theme.")
        return theme

    def back(self, theme=None):
        if theme is not None and self.request.POST.get("return_to") == "detail":
            return HttpResponseRedirect(
                workspace_url("research:theme_detail", self.workspace, pk=theme.pk)
            )
        return HttpResponseRedirect(workspace_url("research:theme_list", self.workspace))

    def errors(self, error, theme=None):
        if isinstance(error, ValidationError):
            messages_ = error.messages
        else:
            messages_ = [
                f"{name}: {' '.join(str(m) for m in errs)}" for name, errs in error.items()
            ]
        if theme is not None and self.request.POST.get("return_to") == "detail":
            view, pk = ThemeDetailView(), theme.pk
            view.setup(self.request, workspace_slug=self.workspace.slug, pk=pk)
        else:
            view = ThemeListView()
            view.setup(self.request, workspace_slug=self.workspace.slug)
        view.membership, view.workspace = self.membership, self.workspace
        context = view.get_context_data(errors=messages_)
        return view.render_to_response(context, status=400)

    def post(self, request, *args, **kwargs):
        theme = self.get_theme()
        try:
            result = self.act(theme)
        except ValidationError as error:
            return self.errors(error, theme)
        if isinstance(result, forms.Form):
            return self.errors(result.errors, theme)
        return result

    def act(self, theme):
        raise NotImplementedError


class ThemeRenameView(ThemeActionView):
    def act(self, theme):
        form = ThemeLabelForm(self.request.POST)
        if not form.is_valid():
            return form
        services.theme_update(actor=self.request.user, theme=theme, **form.cleaned_data)
        messages.success(self.request, "Theme renamed: the name stays across recomputes.")
        return self.back(theme)


class ThemePinView(ThemeActionView):
    def act(self, theme):
        form = ThemePinForm(self.request.POST)
        if not form.is_valid():
            return form
        services.theme_update(actor=self.request.user, theme=theme, **form.cleaned_data)
        messages.success(self.request, "Theme pinned." if theme.pinned else "Theme unpinned.")
        return self.back(theme)


class ThemeMergeView(ThemeActionView):
    def act(self, theme):
        form = ThemeMergeForm(self.request.POST, workspace=self.workspace, exclude=theme.pk)
        if not form.is_valid():
            return form
        into = services.theme_merge(actor=self.request.user, theme=theme, **form.cleaned_data)
        messages.success(self.request, f"Merged into “{into.label}”.")
        return self.back()


class ThemeInsightsView(ThemeActionView):
    """Split the chosen insights off into a new theme, or move them to another one."""

    def act(self, theme):
        form = ThemeInsightsForm(self.request.POST, theme=theme)
        if not form.is_valid():
            return form
        insights, target = form.cleaned_data["insights"], form.cleaned_data["to"]
        if self.request.POST.get("do") == "move":
            if target is None:
                raise ValidationError({"to": ["Choose the theme to move them to."]})
            services.theme_move_insights(actor=self.request.user, theme=target, insights=insights)
            messages.success(self.request, f"Moved {len(insights)} to “{target.label}”.")
            return self.back(theme)
        new = services.theme_split(actor=self.request.user, theme=theme, insights=insights)
        messages.success(self.request, f"Split off as “{new.label}”.")
        return HttpResponseRedirect(
            workspace_url("research:theme_detail", self.workspace, pk=new.pk)
        )


class ThemeRecomputeView(WorkspaceViewMixin, TemplateView):
    requires_write = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if services.themes_recompute_request(actor=request.user, workspace=self.workspace):
            messages.success(request, "Themes are being recomputed.")
        else:
            messages.error(request, "The task queue is unreachable: try again in a moment.")
        return HttpResponseRedirect(workspace_url("research:theme_list", self.workspace))
