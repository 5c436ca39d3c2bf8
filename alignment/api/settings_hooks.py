"""Pagination and the exception handler, named in REST_FRAMEWORK settings.

Kept apart from base.py: DRF imports these while its own viewsets module loads.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from alignment.uploads import UploadTooLarge
from alignment.uploads import size_label


class ContentTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def exception_handler(exc, context):
    """DRF's handler, plus domain errors from services mapped to 400/403, an upload over
    its limit (refused while the body was read) to 413 {"<field>": ["message"]}, and any
    other body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses to read it) to 413.

    Anything else unexpected is left alone, so it surfaces as a real 500.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, UploadTooLarge):
        exc = ContentTooLarge({exc.field: [str(exc)]})
    elif isinstance(exc, RequestDataTooBig):  # a JSON or form body over its memory limit
        limit = size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        exc = ContentTooLarge(f"The request body is larger than the {limit} limit.")
    return drf_exception_handler(exc, context)
