"""An upload over its limit is refused while the body is read (alignment.uploads): a 413
naming the field and the limit on the pages and the API, and nothing past the limit is
spooled to the temporary directory."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse

from alignment.uploads import FORM_ALLOWANCE
from alignment.uploads import size_label
from metrics.models import ImportJob
from research.models import Insight

pytestmark = pytest.mark.django_db

KB = 1024
LIMIT = 64 * KB
HANDLERS = [
    "alignment.uploads.UploadLimitHandler",
    "tests.alignment.test_uploads.TempDirWatch",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


class TempDirWatch(FileUploadHandler):
    """Between the limit and Django's handlers: notes the largest file in the upload
    temporary directory each time a chunk passes."""

    largest = 0

    def receive_data_chunk(self, raw_data, start):
        self._look()
        return raw_data

    def file_complete(self, file_size):
        self._look()

    def upload_complete(self):
        self._look()

    @classmethod
    def _look(cls):
        from django.conf import settings

        with os.scandir(settings.FILE_UPLOAD_TEMP_DIR) as entries:
            sizes = [entry.stat().st_size for entry in entries if entry.is_file()]
        cls.largest = max([cls.largest, *sizes])


@pytest.fixture
def limits(settings, tmp_path):
    """MAX_UPLOAD_SIZE 64 KB, METRICS_IMPORT_MAX_SIZE 256 KB; files over 1 KB go to a
    temporary directory of the test's own, watched by TempDirWatch."""
    settings.MAX_UPLOAD_SIZE = LIMIT
    settings.METRICS_IMPORT_MAX_SIZE = 4 * LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = KB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_HANDLERS = HANDLERS
    TempDirWatch.largest = 0
    return tmp_path


def csv_file(size: int, name: str = "big.csv") -> SimpleUploadedFile:
    header = b"title\n"
    return SimpleUploadedFile(name, header + b"x" * (size - len(header)), "text/csv")


def api_url(workspace, path):
    return f"/api/v1/workspaces/{workspace.slug}/{path}"


def test_limits_are_named_in_the_units_they_were_set_in():
    assert size_label(100 * 1024 * 1024) == "100 MB"
    assert size_label(64 * KB) == "64 KB"
    assert size_label(10) == "10 bytes"


@pytest.mark.parametrize(
    "size", [LIMIT + FORM_ALLOWANCE + KB, 3 * LIMIT], ids=["declared-length", "counted"]
)
def test_an_api_upload_over_the_limit_is_a_413_and_nothing_past_it_is_spooled(
    api, workspace, limits, size
):
    # declared-length: the request says it is too large; refused before the file is read.
    # counted: within the allowance for form fields, refused once 64 KB were received.
    response = api.post(
        api_url(workspace, "insights/import/"), {"file": csv_file(size)}, format="multipart"
    )
    assert TempDirWatch.largest <= LIMIT
    assert response.status_code == 413
    assert response.json() == {"file": ["The file is larger than the 64 KB limit."]}
    assert list(limits.iterdir()) == []  # the partial file is gone
    assert not Insight.objects.exists()


def test_a_file_within_the_limit_is_spooled_and_imported(api, workspace, limits):
    text = b"x" * 1400  # near the limit in few rows: the size is what is under test
    body = b"title,body\n" + b"".join(b"insight %02d,%s\n" % (n, text) for n in range(40))
    assert 48 * KB < len(body) < LIMIT
    response = api.post(
        api_url(workspace, "insights/import/"),
        {"file": SimpleUploadedFile("ok.csv", body, "text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert TempDirWatch.largest > KB  # it went through the temporary directory
    assert Insight.objects.count() == 40


def test_metrics_imports_have_their_own_limit(api, workspace, limits):
    # 128 KB: over MAX_UPLOAD_SIZE, within METRICS_IMPORT_MAX_SIZE.
    accepted = api.post(
        api_url(workspace, "imports/"),
        {"kind": "campaign", "file": csv_file(2 * LIMIT)},
        format="multipart",
    )
    assert accepted.status_code == 202, accepted.content
    refused = api.post(
        api_url(workspace, "imports/"),
        {"kind": "campaign", "file": csv_file(5 * LIMIT)},
        format="multipart",
    )
    assert refused.status_code == 413
    assert refused.json() == {"file": ["The file is larger than the 256 KB limit."]}
    assert ImportJob.objects.count() == 1


def test_a_page_upload_over_the_limit_is_a_413_page_naming_it(web, workspace, limits):
    response = web.post(
        reverse("research:insight_import", args=[workspace.slug]), {"file": csv_file(2 * LIMIT)}
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "File too large" in body and "The file is larger than the 64 KB limit." in body
    assert "Traceback" not in body
    assert TempDirWatch.largest <= LIMIT
    assert not Insight.objects.exists()


def test_the_csrf_check_reading_the_form_meets_the_limit_too(user, workspace, limits):
    # In production the CSRF middleware reads the body before any view: the refusal comes
    # from there, and is the same 413 page.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    form = reverse("metrics:import_create", args=[workspace.slug])
    assert browser.get(form).status_code == 200
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        form,
        {"csrfmiddlewaretoken": token, "kind": "campaign", "file": csv_file(5 * LIMIT)},
    )
    assert response.status_code == 413
    assert "The file is larger than the 256 KB limit." in response.content.decode()
    assert TempDirWatch.largest <= 4 * LIMIT
    assert not ImportJob.objects.exists()
    accepted = browser.post(
        form,
        {"csrfmiddlewaretoken": token, "kind": "campaign", "file": csv_file(2 * LIMIT)},
    )
    assert accepted.status_code == 302
    assert ImportJob.objects.count() == 1


def test_a_form_body_over_the_memory_limit_is_a_413_page(client, settings):
    """Django refuses to read a form over DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB by default)."""
    body = {"username": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "password": "y"}
    response = client.post("/accounts/login/", body)
    assert response.status_code == 413
    assert "larger than the 10 MB limit" in response.content.decode()


def test_other_bad_requests_keep_the_400_page(client):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")  # not ALLOWED_HOSTS
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
