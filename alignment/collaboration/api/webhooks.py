"""(to be written: WebhookViewSet, InboundHookView, InboundHookRotateView, InboundReceiveView)"""
from rest_framework import viewsets
from rest_framework.views import APIView


class WebhookViewSet(viewsets.ViewSet):
    pass


class InboundHookView(APIView):
    pass


class InboundHookRotateView(APIView):
    pass


class InboundReceiveView(APIView):
    pass
