"""A launch serves shared objectives, and its page gathers its messaging and KPIs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import ObjectiveFactory
from tests.factories import FeatureFactory
from tests.launches.factories import LaunchFactory

pytestmark = pytest.mark.django_db


def test_api_links_objectives_of_the_workspace_only(api, workspace, other_workspace):
    launch = LaunchFactory(workspace=workspace)
    mine = ObjectiveFactory(workspace=workspace)
    foreign = ObjectiveFactory(workspace=other_workspace)
    url = f"/api/v1/workspaces/{workspace.slug}/launches/{launch.pk}/"

    response = api.patch(url, {"objectives": [mine.pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["objectives"] == [mine.pk]

    response = api.patch(url, {"objectives": [foreign.pk]}, format="json")
    assert response.status_code == 400 and "objectives" in response.json()
    assert list(launch.objectives.all()) == [mine]


def test_service_refuses_a_foreign_objective(workspace, other_workspace, user):
    from django.core.exceptions import ValidationError

    from launches.services import launch_update

    launch = LaunchFactory(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        launch_update(
            actor=user, launch=launch, objectives=[ObjectiveFactory(workspace=other_workspace)]
        )
    assert "objectives" in error.value.message_dict
    assert not launch.objectives.exists()


def test_launch_page_shows_objectives_claims_and_kpi_links(web, workspace):
    feature = FeatureFactory(product__workspace=workspace, workspace=workspace, status="beta")
    launch = LaunchFactory(workspace=workspace, product=feature.product)
    launch.features.set([feature])
    objective = ObjectiveFactory(workspace=workspace, title="Grow self-serve")
    launch.objectives.set([objective])
    ClaimFactory(workspace=workspace, feature=feature, headline="Find drop-offs in minutes")

    page = web.get(launch.get_absolute_url()).content.decode()
    assert "Grow self-serve" in page
    assert "Find drop-offs in minutes" in page and "unsupported" in page  # beta: not released
    assert f"/w/{workspace.slug}/metrics/features/{feature.pk}/" in page


def test_launch_list_has_no_n_plus_one_with_objectives(api, workspace):
    url = f"/api/v1/workspaces/{workspace.slug}/launches/"

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            api.get(url)
        return len(captured)

    for _ in range(2):
        LaunchFactory(workspace=workspace).objectives.set([ObjectiveFactory(workspace=workspace)])
    few = queries_for_list()
    for _ in range(6):
        LaunchFactory(workspace=workspace).objectives.set([ObjectiveFactory(workspace=workspace)])
    assert queries_for_list() == few
