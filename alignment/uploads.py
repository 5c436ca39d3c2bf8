"""Upload size limits, enforced while the request body is read (settings.FILE_UPLOAD_HANDLERS).

Django's own handlers spool a file of any size to memory or a temporary file before a view
sees it, so a view's size check came after a 500 MB body had landed in /tmp.
`UploadLimitHandler` runs first and refuses:

- at the file's first part, before any byte of it is read, when the request's declared
  Content-Length (or the part's own) already exceeds the limit;
- as soon as the file bytes counted exceed the limit, for a body that declared less than it
  sends (the partial file is deleted; nothing beyond the limit was written).

A refusal raises `UploadTooLarge`, a `RequestDataTooBig` as Django's own body limits are:
pages answer it with the 413 page (`alignment.views.bad_request`, handler400), the API with
a 413 `{"<field>": ["The file is larger than the 100 MB limit."]}`
(`alignment.api.settings_hooks`).

The limit is settings.MAX_UPLOAD_SIZE, or the view's own: a view class (or viewset) with an
`upload_max_size` attribute, bytes or a function returning them (metrics imports:
METRICS_IMPORT_MAX_SIZE).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.core.files.uploadhandler import StopUpload

# What a form may send besides its file (multipart framing, the CSRF token, a few choices):
# a declared length over the limit by more than this cannot hold a file within it.
FORM_ALLOWANCE = 1024 * 1024


def size_label(size: int) -> str:
    """100 MB, 64 KB, 10 bytes: how a limit is named to the user."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, *, field: str, limit: int):
        self.field = field
        self.limit = limit
        super().__init__(f"The file is larger than the {size_label(limit)} limit.")


def upload_limit(request) -> int:
    """The largest upload the view `request` goes to accepts, in bytes."""
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    limit = getattr(owner, "upload_max_size", None)
    if callable(limit):
        limit = limit()
    return settings.MAX_UPLOAD_SIZE if limit is None else int(limit)


class UploadLimitHandler(FileUploadHandler):
    """First of settings.FILE_UPLOAD_HANDLERS: file bytes past the limit never reach the
    memory and temporary-file handlers after it. The limit counts every file of the
    request together."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit(request) if request is not None else settings.MAX_UPLOAD_SIZE
        self.declared = 0
        self.received = 0
        # Not `file`: the parser closes any handler's `file` when an upload stops.
        self.refused: UploadTooLarge | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length
        return None  # the parsing itself is left to Django

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if self.declared > self.limit + FORM_ALLOWANCE or (content_length or 0) > self.limit:
            # Nothing of this file has been read, nor spooled by the handlers after this one.
            raise UploadTooLarge(field=field_name, limit=self.limit)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = UploadTooLarge(field=self.field_name, limit=self.limit)
            # The parser closes (deletes) the partial files and stops reading; the refusal
            # is raised once it has (upload_complete).
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers make the uploaded file

    def upload_complete(self):
        if self.refused is not None:
            raise self.refused
