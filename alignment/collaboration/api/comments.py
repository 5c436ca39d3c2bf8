"""comments/: the thread of one subject, oldest first; post, edit or delete a comment."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from alignment.api.base import WorkspaceViewSet
from alignment.collaboration import selectors
from alignment.collaboration import services
from alignment.collaboration import subjects
from alignment.collaboration.models import Comment
from alignment.collaboration.services.comments import BODY_MAX_LENGTH
from alignment.collaboration.services.comments import SUBJECT_ID_MAX
from alignment.collaboration.services.comments import render_comment


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "body",
            "body_html",
            "author",
            "mentions",
            "created_at",
        ]
        read_only_fields = fields

    def get_author(self, comment) -> str | None:
        return comment.author.get_username() if comment.author else None

    def get_mentions(self, comment) -> list[str]:
        return sorted(user.get_username() for user in comment.mentions.all())

    def get_body_html(self, comment) -> str:
        return str(render_comment(comment.body, self.get_mentions(comment)))


class CommentCreateSerializer(serializers.Serializer):
    subject_type = serializers.CharField(max_length=40)
    subject_id = serializers.IntegerField(min_value=1, max_value=SUBJECT_ID_MAX)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class ThreadQuerySerializer(serializers.Serializer):
    subject_type = serializers.CharField(
        max_length=40, required=False, help_text="With subject_id: one subject's thread."
    )
    subject_id = serializers.IntegerField(min_value=1, max_value=SUBJECT_ID_MAX, required=False)

    def validate(self, attrs):
        if "subject_type" in attrs and "subject_id" not in attrs:
            raise serializers.ValidationError({"subject_id": ["Give it with subject_type."]})
        if "subject_id" in attrs and "subject_type" not in attrs:
            raise serializers.ValidationError({"subject_type": ["Give it with subject_id."]})
        names = subjects.commentable_names()
        if "subject_type" in attrs and attrs["subject_type"] not in names:
            raise serializers.ValidationError(
                {"subject_type": [f"Comments attach to one of: {', '.join(names)}."]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("subject_type", OpenApiTypes.STR, description="e.g. claim, launch"),
            OpenApiParameter("subject_id", OpenApiTypes.INT64),
        ],
        description=(
            "The thread of one subject (give subject_type and subject_id), oldest first; "
            "an unknown subject or another workspace's answers 404. Without both, every "
            "comment of the workspace."
        ),
    ),
    create=extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer}),
    update=extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer),
    partial_update=extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer),
)
class CommentViewSet(WorkspaceViewSet):
    """Comments with @mentions on claims, documents, insights, opportunities, launches and
    diagnoses. Members read; every role but viewer comments; the author edits; the author
    or an admin deletes."""

    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    filter_backends = []  # the thread is chosen by its subject, below
    create_service = staticmethod(services.comment_create)
    update_service = staticmethod(services.comment_update)
    selector = staticmethod(selectors.comment_list)

    def get_serializer_class(self):
        if self.action == "create":
            return CommentCreateSerializer
        if self.action in ("update", "partial_update"):
            return CommentUpdateSerializer
        return CommentSerializer

    def list(self, request, *args, **kwargs):
        query = ThreadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        subject_type = query.validated_data.get("subject_type")
        subject_id = query.validated_data.get("subject_id")
        # A subject of another workspace, or of none: the same 404.
        if subject_type is not None and not subjects.resolve(
            workspace=self.workspace, name=subject_type, pk=subject_id
        ):
            raise Http404(f"No such {subject_type}.")
        queryset = selectors.comment_list(
            workspace=self.workspace, subject_type=subject_type, subject_id=subject_id
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    def partial_update(self, request, *args, **kwargs):
        # The body is all a comment's author may change: a PATCH must give it too.
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.comment_delete(actor=self.request.user, comment=instance)

    def _output(self, instance):
        return CommentSerializer(self.get_queryset().get(pk=instance.pk)).data
