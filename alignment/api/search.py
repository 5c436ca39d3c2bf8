"""`search/?q=`: the workspace's one search (alignment.search) as JSON."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from alignment.api.base import WorkspaceApiView
from alignment.search import MAX_QUERY_LENGTH
from alignment.search import search_everything


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        allow_blank=True,
        required=False,
        help_text='Words (PostgreSQL web search syntax: "a phrase", or, -word; typos are '
        "forgiven) and tag:name to keep what carries a tag.",
    )


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="insight, highlight, tag, opportunity, persona, study, claim, document, "
        "product, feature, launch or campaign."
    )
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(
        help_text="HTML: the matched passage as text, escaped, the matches in <mark>."
    )
    url = serializers.CharField(help_text="The object's page.")


class SearchView(WorkspaceApiView):
    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchResultSerializer(many=True))
    def get(self, request, workspace_slug):
        """Everything in the workspace matching `q`, ranked across types, best first."""
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        results = search_everything(
            workspace=self.workspace, query=query.validated_data.get("q", "")
        )
        return Response([result.as_dict() for result in results])
