"""(to be written: NotificationViewSet)"""
from rest_framework import viewsets


class NotificationViewSet(viewsets.ViewSet):
    pass
