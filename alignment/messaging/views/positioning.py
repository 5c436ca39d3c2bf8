"""Positioning pages: statements per product and persona, with their versions."""

from __future__ import annotations

from alignment.messaging import selectors
from alignment.messaging import services
from alignment.messaging.filters import PositioningFilterSet
from alignment.messaging.forms import PositioningForm
from alignment.messaging.models import Positioning
from alignment.messaging.views.common import MessagingFormMixin
from alignment.mixins import WorkspaceCreateView
from alignment.mixins import WorkspaceDetailView
from alignment.mixins import WorkspaceListView
from alignment.mixins import WorkspaceUpdateView


class PositioningListView(WorkspaceListView):
    model = Positioning
    filterset_class = PositioningFilterSet
    template_name = "alignment/messaging/positioning_list.html"
    selector = staticmethod(selectors.positioning_list)


class PositioningDetailView(WorkspaceDetailView):
    model = Positioning
    template_name = "alignment/messaging/positioning_detail.html"
    selector = staticmethod(selectors.positioning_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = selectors.positioning_versions(positioning=self.object)
        return context


class PositioningCreateView(MessagingFormMixin, WorkspaceCreateView):
    model = Positioning
    form_class = PositioningForm
    create_service = staticmethod(services.positioning_create)


class PositioningUpdateView(MessagingFormMixin, WorkspaceUpdateView):
    model = Positioning
    form_class = PositioningForm
    update_service = staticmethod(services.positioning_update)
    success_message = "Saved as a new version."
