"""Journey maps, edited with their ordered stages in one form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import JourneyMap


class JourneyMapListView(WorkspaceListView):
    model = JourneyMap
    filterset_class = filters.JourneyMapFilterSet
    template_name = "research/journeymap_list.html"
    selector = staticmethod(selectors.journey_map_list)


class JourneyMapDetailView(WorkspaceDetailView):
    model = JourneyMap
    template_name = "research/journeymap_detail.html"
    selector = staticmethod(selectors.journey_map_list)


class JourneyStagesMixin:
    """The map's form plus a formset of ordered stages, saved together by one service."""

    template_name = "research/journeymap_form.html"
    form_class = forms.JourneyMapForm

    def get_formset(self):
        if self.request.method == "POST":
            # Bound: every submitted stage is read as it is, compared with nothing.
            return forms.JourneyStageFormSet(self.request.POST, prefix="stages")
        initial = None
        if getattr(self, "object", None) is not None and self.object.pk:
            initial = [
                {name: getattr(stage, name) for name in services.STAGE_FIELDS}
                for stage in self.object.stages.order_by("position")
            ]
        return forms.JourneyStageFormSet(initial=initial, prefix="stages")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = kwargs.get("formset") or self.get_formset()
        return context

    def form_valid(self, form):
        formset = self.get_formset()
        if not formset.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset), status=400
            )
        # In the order the user numbered them; deleted and untouched blank stages left out.
        stages = [
            {name: stage_form.cleaned_data[name] for name in services.STAGE_FIELDS}
            for stage_form in formset.ordered_forms
        ]
        data = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            self.object = self.call_service({**data, "stages": stages})
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset), status=400
            )
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, formset=self.get_formset()), status=400
        )


class JourneyMapCreateView(JourneyStagesMixin, WorkspaceCreateView):
    model = JourneyMap
    create_service = staticmethod(services.journey_map_create)

    def get_initial(self):
        return {"persona": self.request.GET.get("persona")}


class JourneyMapUpdateView(JourneyStagesMixin, WorkspaceUpdateView):
    model = JourneyMap
    update_service = staticmethod(services.journey_map_update)


class JourneyMapDeleteView(WorkspaceDeleteView):
    model = JourneyMap
    list_url = "research:journeymap_list"
