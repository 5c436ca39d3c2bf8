"""Studies: the interviews and surveys insights come from."""

from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDeleteView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView
from research import filters
from research import forms
from research import selectors
from research import services
from research.models import Study


class StudyListView(WorkspaceListView):
    model = Study
    filterset_class = filters.StudyFilterSet
    template_name = "research/study_list.html"
    selector = staticmethod(selectors.study_list)


class StudyDetailView(WorkspaceDetailView):
    model = Study
    template_name = "research/study_detail.html"
    selector = staticmethod(selectors.study_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["insights"] = selectors.insight_list(
            workspace=self.workspace, filters={"study": self.object.pk}
        )
        context["scores"] = selectors.study_survey_scores(study=self.object)
        context["responses"] = selectors.study_survey_responses(study=self.object)[:10]
        return context


class StudyCreateView(WorkspaceCreateView):
    model = Study
    form_class = forms.StudyForm
    template_name = "research/form.html"
    create_service = staticmethod(services.study_create)


class StudyUpdateView(WorkspaceUpdateView):
    model = Study
    form_class = forms.StudyForm
    template_name = "research/form.html"
    update_service = staticmethod(services.study_update)


class StudyDeleteView(WorkspaceDeleteView):
    model = Study
    list_url = "research:study_list"
