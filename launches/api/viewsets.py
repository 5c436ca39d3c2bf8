from datetime import date
from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from alignment.api.base import WorkspaceApiView
from alignment.api.base import WorkspaceViewSet
from launches import selectors
from launches import services
from launches.api.serializers import CalendarSerializer
from launches.api.serializers import CampaignSerializer
from launches.api.serializers import ConflictSerializer
from launches.api.serializers import LaunchSerializer
from launches.api.serializers import LaunchTaskSerializer
from launches.api.serializers import LaunchTemplateSerializer
from launches.api.serializers import MilestoneSerializer
from launches.api.serializers import ReleaseSerializer
from launches.api.serializers import StatusInputSerializer
from launches.filters import CampaignFilterSet
from launches.filters import LaunchFilterSet
from launches.filters import LaunchTaskFilterSet
from launches.filters import LaunchTemplateFilterSet
from launches.filters import MilestoneFilterSet
from launches.filters import ReleaseFilterSet
from launches.forms import CalendarQueryForm
from launches.forms import ConflictQueryForm
from launches.ical import render_calendar
from launches.models import CalendarFeed
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import Milestone
from launches.models import Release


class LaunchViewSet(WorkspaceViewSet):
    """Launch plans. POST with `template` lays out its tasks and milestones."""

    queryset = Launch.objects.all()
    serializer_class = LaunchSerializer
    filterset_class = LaunchFilterSet
    search_fields = ["name", "goals", "product__name"]
    ordering_fields = ["launch_date", "name", "tier", "status", "created_at"]
    create_service = staticmethod(services.launch_create)
    update_service = staticmethod(services.launch_update)
    selector = staticmethod(selectors.launch_list)

    @extend_schema(request=StatusInputSerializer, responses=LaunchSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        """Move the launch: planning -> ready -> launched -> reviewed (ready -> planning)."""
        launch = self.get_object()
        data = StatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        launch = services.launch_set_status(
            actor=request.user, launch=launch, status=data.validated_data["status"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=launch.pk)).data)


class LaunchChildViewSet(WorkspaceViewSet):
    """Rows under launches/<launch_pk>/: the launch must be in the workspace (else 404)."""

    @cached_property
    def launch(self):
        launches = Launch.objects.in_workspace(self.workspace)
        return get_object_or_404(launches, pk=self.kwargs["launch_pk"])

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            self.launch  # noqa: B018 - a missing or foreign launch is a 404 before any input

    def perform_create(self, serializer):
        serializer.instance = self.create_service(
            actor=self.request.user,
            workspace=self.workspace,
            launch=self.launch,
            **serializer.validated_data,
        )


class LaunchTaskViewSet(LaunchChildViewSet):
    queryset = LaunchTask.objects.all()
    serializer_class = LaunchTaskSerializer
    filterset_class = LaunchTaskFilterSet
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "status", "team", "title"]
    create_service = staticmethod(services.launch_task_create)

    def get_workspace_queryset(self):
        return selectors.launch_task_list(workspace=self.workspace, launch_id=self.launch.pk)

    def perform_update(self, serializer):
        serializer.instance = services.launch_task_update(
            actor=self.request.user, task=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=StatusInputSerializer, responses=LaunchTaskSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        """Set the task's status: todo, doing, blocked or done."""
        task = self.get_object()
        data = StatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.launch_task_set_status(
            actor=request.user, task=task, status=data.validated_data["status"]
        )
        return Response(self.get_serializer(task).data)


class MilestoneViewSet(LaunchChildViewSet):
    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    ordering_fields = ["due_date", "kind", "team"]
    create_service = staticmethod(services.milestone_create)
    update_service = staticmethod(services.milestone_update)

    def get_workspace_queryset(self):
        return selectors.milestone_list(workspace=self.workspace, launch_id=self.launch.pk)


class LaunchTemplateViewSet(WorkspaceViewSet):
    queryset = LaunchTemplate.objects.all()
    serializer_class = LaunchTemplateSerializer
    filterset_class = LaunchTemplateFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["tier", "name"]
    create_service = staticmethod(services.launch_template_create)
    update_service = staticmethod(services.launch_template_update)
    selector = staticmethod(selectors.launch_template_list)


class CampaignViewSet(WorkspaceViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    search_fields = ["name", "channel"]
    ordering_fields = ["name", "start_date", "end_date", "budget"]
    create_service = staticmethod(services.campaign_create)
    update_service = staticmethod(services.campaign_update)
    selector = staticmethod(selectors.campaign_list)


class ReleaseViewSet(WorkspaceViewSet):
    queryset = Release.objects.all()
    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet
    search_fields = ["version", "notes", "product__name"]
    ordering_fields = ["date", "version"]
    create_service = staticmethod(services.release_create)
    update_service = staticmethod(services.release_update)
    selector = staticmethod(selectors.release_list)


# --- The calendar: read-only views over selectors ------------------------------------------

CALENDAR_PARAMETERS = [
    OpenApiParameter("from", str, description="First day (ISO 8601); default: this month."),
    OpenApiParameter("to", str, description="Last day, inclusive (at most 400 days later)."),
    OpenApiParameter("product", int, description="Only this product's events."),
    OpenApiParameter("team", str, description="product, marketing, sales or support."),
]


def calendar_query(workspace, params) -> dict:
    """The validated calendar query as selector arguments; a 400 naming the field."""
    form = CalendarQueryForm(params, workspace=workspace)
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors)
    data = form.cleaned_data
    product = data.get("product")
    return {
        "date_from": data["from"],
        "date_to": data["to"],
        "product_id": product.pk if product else None,
        "team": data.get("team") or "",
    }


class CalendarEventsView(WorkspaceApiView):
    @extend_schema(parameters=CALENDAR_PARAMETERS, responses=CalendarSerializer)
    def get(self, request, workspace_slug):
        """Launches, milestones, campaigns and releases between `from` and `to`."""
        query = calendar_query(self.workspace, request.query_params)
        events = selectors.calendar_events(workspace=self.workspace, **query)
        return Response(
            {
                "from": query["date_from"],
                "to": query["date_to"],
                "events": [event.as_dict() for event in events],
            }
        )


CONFLICT_PARAMETERS = [
    OpenApiParameter("from", str, description="Releases on or after this day."),
    OpenApiParameter("to", str, description="Releases on or before this day."),
    OpenApiParameter("product", int, description="Releases of this product."),
    OpenApiParameter("feature", int, description="Conflicts about this feature."),
    OpenApiParameter("launch", int, description="Conflicts about this launch's features."),
]


class ConflictListView(WorkspaceApiView):
    @extend_schema(parameters=CONFLICT_PARAMETERS, responses=ConflictSerializer(many=True))
    def get(self, request, workspace_slug):
        """Releases changing a feature within the window before, or during, a campaign
        promoting it, with the advice. Every conflict of the workspace unless narrowed."""
        form = ConflictQueryForm(request.query_params, workspace=self.workspace)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        data = form.cleaned_data
        feature_ids = {data["feature"].pk} if data.get("feature") else None
        if data.get("launch"):
            launch_features = set(data["launch"].features.values_list("pk", flat=True))
            feature_ids = launch_features if feature_ids is None else feature_ids & launch_features
        conflicts = selectors.calendar_conflicts(
            workspace=self.workspace,
            date_from=data.get("from"),
            date_to=data.get("to"),
            product_id=data["product"].pk if data.get("product") else None,
            feature_ids=feature_ids,
        )
        return Response(ConflictSerializer([c.as_dict() for c in conflicts], many=True).data)


class CalendarFeedTokenAuthentication(BaseAuthentication):
    """`?token=` from the user's calendar feed: calendar apps cannot send headers.

    The token only opens the feed of its own workspace.
    """

    def authenticate(self, request):
        token = request.query_params.get("token")
        if not token:
            return None
        view_kwargs = request.parser_context.get("kwargs", {})
        feed = (
            CalendarFeed.objects.select_related("user", "workspace")
            .filter(token=token, workspace__slug=view_kwargs.get("workspace_slug"))
            .first()
        )
        if feed is None or not feed.user.is_active or not selectors.calendar_feed_is_current(feed):
            raise exceptions.AuthenticationFailed("Invalid or revoked calendar token.")
        return (feed.user, feed)

    def authenticate_header(self, request):
        return "Token"


class CalendarIcsView(WorkspaceApiView):
    """The calendar as iCalendar, for Google Calendar or Outlook to subscribe to."""

    authentication_classes = [
        CalendarFeedTokenAuthentication,
        *api_settings.DEFAULT_AUTHENTICATION_CLASSES,
    ]

    def perform_content_negotiation(self, request, force=False):
        # Calendar clients send Accept: text/calendar; errors still answer in JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(parameters=CALENDAR_PARAMETERS, responses={(200, "text/calendar"): str})
    def get(self, request, workspace_slug):
        """The same events as `calendar/`, by default from 60 days ago to 11 months ahead."""
        params = request.query_params.copy()
        if not params.get("from") and not params.get("to"):
            today = date.today()
            params["from"] = (today - timedelta(days=60)).isoformat()
            params["to"] = (today + timedelta(days=335)).isoformat()
        events = selectors.calendar_events(
            workspace=self.workspace, **calendar_query(self.workspace, params)
        )
        body = render_calendar(
            events,
            name=f"{self.workspace.name} GTM calendar",
            uid_domain=f"{self.workspace.slug}.tandem",
            base_url=request.build_absolute_uri("/"),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.workspace.slug}-gtm.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class CalendarFeedTokenScheme(OpenApiAuthenticationExtension):
    """Documents `?token=` of calendar.ics in the OpenAPI schema."""

    target_class = CalendarFeedTokenAuthentication
    name = "calendarFeedToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "token"}
