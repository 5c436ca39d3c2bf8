"""(to be written: CommentViewSet)"""
from rest_framework import viewsets


class CommentViewSet(viewsets.ViewSet):
    pass
