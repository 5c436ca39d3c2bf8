"""Who the research is about: personas and the segments they fall in."""

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import Persona
from research.models import Segment

# --- Personas ---------------------------------------------------------------------------


class PersonaListView(WorkspaceListView):
    model = Persona
    filterset_class = filters.PersonaFilterSet
    template_name = "research/persona_list.html"
    selector = staticmethod(selectors.persona_list)


class PersonaDetailView(WorkspaceDetailView):
    """The persona profile: its insights, opportunities, journey maps and features."""

    model = Persona
    template_name = "research/persona_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.persona_profile(persona=self.object))
        return context


class PersonaCreateView(WorkspaceCreateView):
    model = Persona
    form_class = forms.PersonaForm
    template_name = "research/form.html"
    create_service = staticmethod(services.persona_create)


class PersonaUpdateView(WorkspaceUpdateView):
    model = Persona
    form_class = forms.PersonaForm
    template_name = "research/form.html"
    update_service = staticmethod(services.persona_update)


class PersonaDeleteView(WorkspaceDeleteView):
    model = Persona
    list_url = "research:persona_list"


# --- Segments ---------------------------------------------------------------------------


class SegmentListView(WorkspaceListView):
    model = Segment
    filterset_class = filters.SegmentFilterSet
    template_name = "research/segment_list.html"
    selector = staticmethod(selectors.segment_list)


class SegmentDetailView(WorkspaceDetailView):
    model = Segment
    template_name = "research/segment_detail.html"
    selector = staticmethod(selectors.segment_list)


class SegmentCreateView(WorkspaceCreateView):
    model = Segment
    form_class = forms.SegmentForm
    template_name = "research/form.html"
    create_service = staticmethod(services.segment_create)


class SegmentUpdateView(WorkspaceUpdateView):
    model = Segment
    form_class = forms.SegmentForm
    template_name = "research/form.html"
    update_service = staticmethod(services.segment_update)


class SegmentDeleteView(WorkspaceDeleteView):
    model = Segment
    list_url = "research:segment_list"
