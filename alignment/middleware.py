"""Request middleware of the project (named in settings.MIDDLEWARE)."""

from django.http import HttpResponseBadRequest
from django.http import JsonResponse

NUL = "\x00"


class RefuseNulCharacters:
    """A NUL character in the path or the query string answers 400 before any view runs.

    No field of Tandem holds one, PostgreSQL refuses it in text (a 500 wherever a filter or
    a search passed it on), and SQLite would store it. Bodies are checked where they are
    parsed: forms and serializers refuse NUL in text fields (Django's and DRF's validators),
    JSON bodies in any string (alignment.api.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = "NUL characters are not allowed in the address."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
