import pytest
from django.db import connection

from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded and error files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("COPY/MERGE path: runs on PostgreSQL (CI sets DATABASE_URL=postgres://...)")


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("The portable upsert path of the embedded SQLite default")


@pytest.fixture
def campaign_csv():
    return csv_bytes(
        CAMPAIGN_HEADER,
        "2024-03-01,Spring Sale,email,100.00,1000,50,40,10,4,300.00",
        "2024-03-02,Spring Sale,email,50.00,500,20,10,5,0,0",
        "2024-03-01,Brand,social,0,2000,0,0,0,0,0",
    )
