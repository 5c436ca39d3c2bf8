"""(to be written)"""
from django.views.generic import View


class WebhookListView(View):
    pass


class WebhookDetailView(View):
    pass


def webhook_test(request, workspace_slug, pk):
    raise NotImplementedError


def webhook_delete(request, workspace_slug, pk):
    raise NotImplementedError


def inbound_rotate(request, workspace_slug):
    raise NotImplementedError
