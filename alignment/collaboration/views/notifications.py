"""(to be written)"""
from django.views.generic import View


class NotificationListView(View):
    pass


class NotificationSettingsView(View):
    pass


def notifications_read(request, workspace_slug):
    raise NotImplementedError
