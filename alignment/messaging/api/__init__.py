"""The messaging API: serializers.py and viewsets.py (routed in alignment/api/urls.py)."""
