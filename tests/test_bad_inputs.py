"""The bad-input corpus: every file of tests/bad_inputs/ uploaded through the real pages.

Each file is posted to the upload page of its kind (metrics imports: the import page, its
task run in-process as in the embedded default; insights: the CSV import page) and must
end as manifest.toml says: refused at upload, failed as a whole, partly imported or
imported, with so many rows imported and rejected and a fragment of the message. None
may answer 500 or raise (the test client re-raises a view's exception, and so does an
in-process task). The files are written by make_corpus.py; a file without an entry in the
manifest, or an entry without its file, fails here.
"""

import html
import tomllib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import ImportJob
from research.models import InsightImport

FOLDER = Path(__file__).parent / "bad_inputs"
MANIFEST = tomllib.loads((FOLDER / "manifest.toml").read_text(encoding="utf-8"))["file"]
NOT_INPUTS = {".gitattributes", "__init__.py", "make_corpus.py", "manifest.toml", "__pycache__"}
STATUS = {
    ImportJob.Status.SUCCEEDED: "succeeded",
    ImportJob.Status.SUCCEEDED_WITH_ERRORS: "partial",
    ImportJob.Status.FAILED: "failed",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_manifest_covers_every_file_and_only_those():
    files = {path.name for path in FOLDER.iterdir()} - NOT_INPUTS
    listed = [entry["file"] for entry in MANIFEST]
    assert len(listed) == len(set(listed)), "a file listed twice"
    assert files == set(listed)
    assert len(files) >= 40
    assert {entry["kind"] for entry in MANIFEST} == {"campaign", "usage", "survey", "insight"}
    for path in FOLDER.iterdir():
        assert path.stat().st_size < 300 * 1024, path.name


def test_the_files_are_what_make_corpus_writes():
    from tests.bad_inputs import make_corpus

    written = {**make_corpus.csv_files(), **make_corpus.xlsx_files()}
    for name, data in written.items():
        assert (FOLDER / name).read_bytes() == data, f"{name}: run make_corpus.py"


def _metrics_upload(web, workspace, kind, name, data, capture) -> dict:
    with capture(execute=True):
        response = web.post(
            reverse("metrics:import_create", args=[workspace.slug]),
            {"kind": kind, "file": SimpleUploadedFile(name, data)},
        )
    assert response.status_code in (200, 302)
    job = ImportJob.objects.first()
    if job is None:
        assert response.status_code == 200  # the form again, with the reason
        return {"status": "refused", "message": html.unescape(response.content.decode())}
    reasons = " ".join(error["reason"] for error in job.error_sample)
    outcome = {
        "status": STATUS[job.status],
        "imported": job.rows_imported,
        "rejected": job.rows_rejected,
        "message": f"{job.message} {reasons}",
    }
    if job.errors_file:
        download = web.get(reverse("metrics:import_errors", args=[workspace.slug, job.pk]))
        outcome["errors_csv"] = b"".join(download.streaming_content).decode("utf-8-sig")
    return outcome


def _insight_upload(web, workspace, name, data) -> dict:
    response = web.post(
        reverse("research:insight_import", kwargs={"workspace_slug": workspace.slug}),
        {"file": SimpleUploadedFile(name, data)},
    )
    if response.status_code == 400:
        assert not InsightImport.objects.exists()
        return {"status": "refused", "message": html.unescape(response.content.decode())}
    assert response.status_code == 200
    record = InsightImport.objects.get()
    reasons = " ".join(error["reason"] for error in record.errors)
    outcome = {
        "status": "partial" if record.rows_rejected else "succeeded",
        "imported": record.rows_imported,
        "rejected": record.rows_rejected,
        "message": f"{record.message} {reasons}",
    }
    if record.rows_rejected:
        download = web.get(
            reverse(
                "research:insight_import_errors",
                kwargs={"workspace_slug": workspace.slug, "pk": record.pk},
            )
        )
        outcome["errors_csv"] = download.content.decode("utf-8-sig")
    return outcome


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_a_bad_input_ends_as_the_manifest_says(
    entry, web, workspace, settings, django_capture_on_commit_callbacks
):
    for name, value in entry.get("settings", {}).items():
        setattr(settings, name, value)
    data = (FOLDER / entry["file"]).read_bytes()
    if entry["kind"] == "insight":
        outcome = _insight_upload(web, workspace, entry["file"], data)
    else:
        outcome = _metrics_upload(
            web, workspace, entry["kind"], entry["file"], data, django_capture_on_commit_callbacks
        )
    assert outcome["status"] == entry["status"], outcome["message"]
    assert entry["message"] in outcome["message"], outcome["message"]
    if entry["status"] in ("succeeded", "partial"):
        assert (outcome["imported"], outcome["rejected"]) == (
            entry["imported"],
            entry["rejected"],
        ), outcome["message"]
    if "errors_csv" in entry:
        assert entry["errors_csv"] in outcome["errors_csv"]
    if "errors_csv_lacks" in entry:
        assert entry["errors_csv_lacks"] not in outcome["errors_csv"]
