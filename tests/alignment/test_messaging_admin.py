import pytest
from django.urls import reverse

from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import Positioning
from alignment.messaging.models import SyncMeeting
from alignment.models import Role
from tests.alignment.factories import ActionItemFactory
from tests.alignment.factories import ActivityEventFactory
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import FeedbackFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.alignment.factories import ObjectiveTargetFactory
from tests.alignment.factories import PositioningVersionFactory
from tests.alignment.factories import member_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_CASES = [
    (Positioning, lambda ws: PositioningVersionFactory(workspace=ws).positioning),
    (Claim, lambda ws: ClaimFactory(workspace=ws)),
    (HandoffDocument, lambda ws: HandoffDocumentFactory(workspace=ws)),
    (Objective, lambda ws: ObjectiveTargetFactory(workspace=ws).objective),
    (Feedback, lambda ws: FeedbackFactory(workspace=ws)),
    (SyncMeeting, lambda ws: ActionItemFactory(workspace=ws).meeting),
    (ActionItem, lambda ws: ActionItemFactory(workspace=ws)),
    (ActivityEvent, lambda ws: ActivityEventFactory(workspace=ws)),
]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model,make", ADMIN_CASES, ids=[m.__name__ for m, _ in ADMIN_CASES])
def test_admin_pages_render(superuser_client, workspace, model, make):
    obj = make(workspace)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert superuser_client.get(change).status_code == 200


def test_admin_adds_an_objective_with_a_target(superuser_client, workspace):
    pm, pmm = member_of(workspace, Role.PM), member_of(workspace, Role.PMM)
    response = superuser_client.post(
        reverse("admin:alignment_objective_add"),
        {
            "workspace": workspace.pk,
            "title": "From the admin",
            "product_owner": pm.pk,
            "marketing_owner": pmm.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-kpi": "nps",
            "targets-0-target": "40",
            "targets-0-direction": "up",
            "targets-0-measured_over": "workspace",  # NPS: the whole workspace only
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    objective = Objective.objects.get(title="From the admin")
    target = objective.targets.get()
    assert (target.workspace_id, target.scope, target.scope_id) == (workspace.pk, "workspace", None)


def test_staff_only_see_workspaces_they_administer(client, workspace, other_workspace):
    ClaimFactory(workspace=workspace, headline="Ours")
    ClaimFactory(workspace=other_workspace, headline="Theirs")
    staff = member_of(workspace, Role.ADMIN)
    staff.is_staff = True
    staff.save()
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(staff)
    content = client.get(reverse("admin:alignment_claim_changelist")).content.decode()
    assert "Ours" in content and "Theirs" not in content
