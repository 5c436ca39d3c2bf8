"""Launch tasks edited in the Django admin go through the launch services: the same checks as
the pages and the API, completion time, and the assignee's email."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from alignment.models import Membership
from alignment.models import Role
from launches.models import LaunchTask
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456!")
    client.force_login(root)
    return client


def _form(task, **changes):
    data = {
        "title": task.title,
        "description": task.description,
        "team": task.team,
        "assignee": task.assignee_id or "",
        "due_date": task.due_date.isoformat(),
        "status": task.status,
        "channel": task.channel,
        "milestone": task.milestone_id or "",
        "depends_on": ",".join(str(pk) for pk in task.depends_on.values_list("pk", flat=True)),
    }
    data.update(changes)
    return data


def _change(admin_client, task, **changes):
    url = f"/admin/launches/launchtask/{task.pk}/change/"
    return admin_client.post(url, _form(task, **changes))


def test_a_dependency_cycle_is_a_form_error(admin_client, workspace):
    launch = LaunchFactory(workspace=workspace)
    first = LaunchTaskFactory(workspace=workspace, launch=launch)
    second = LaunchTaskFactory(workspace=workspace, launch=launch)
    second.depends_on.set([first])
    response = _change(admin_client, first, depends_on=str(second.pk))
    assert response.status_code == 200
    assert "would form a cycle" in response.content.decode()
    assert not first.depends_on.exists()


def test_an_assignee_from_outside_the_workspace_is_a_form_error(admin_client, workspace):
    task = LaunchTaskFactory(workspace=workspace, launch=LaunchFactory(workspace=workspace))
    outsider = get_user_model().objects.create_user("outsider", password="pw-123456!")
    response = _change(admin_client, task, assignee=outsider.pk)
    assert response.status_code == 200
    assert "must be a member of this workspace" in response.content.decode()
    task.refresh_from_db()
    assert task.assignee_id is None


def test_a_saved_edit_sets_completion_and_emails_the_new_assignee(
    admin_client, workspace, django_capture_on_commit_callbacks
):
    task = LaunchTaskFactory(workspace=workspace, launch=LaunchFactory(workspace=workspace))
    pmm = get_user_model().objects.create_user(
        "pmm", email="pmm@example.com", password="pw-123456!"
    )
    Membership.objects.create(user=pmm, workspace=workspace, role=Role.PMM)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(admin_client, task, status="done", assignee=pmm.pk)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == LaunchTask.Status.DONE and task.completed_at is not None
    assert task.assignee == pmm
    assert [message.to for message in mail.outbox] == [["pmm@example.com"]]


def test_a_task_added_in_the_admin_is_created_by_the_service(admin_client, workspace):
    launch = LaunchFactory(workspace=workspace)
    prerequisite = LaunchTaskFactory(workspace=workspace, launch=launch, status="done")
    response = admin_client.post(
        "/admin/launches/launchtask/add/",
        {
            "workspace": workspace.pk,
            "launch": launch.pk,
            "title": "Brief sales",
            "description": "",
            "team": "sales",
            "assignee": "",
            "due_date": date(2026, 6, 1).isoformat(),
            "status": "done",
            "channel": "",
            "milestone": "",
            "depends_on": str(prerequisite.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = LaunchTask.objects.get(title="Brief sales")
    assert list(task.depends_on.all()) == [prerequisite]
    assert task.completed_at is not None  # set by the service, not by the form


def test_done_before_a_prerequisite_is_a_form_error(admin_client, workspace):
    launch = LaunchFactory(workspace=workspace)
    messaging = LaunchTaskFactory(workspace=workspace, launch=launch, title="Write messaging")
    blog = LaunchTaskFactory(workspace=workspace, launch=launch, title="Blog post")
    blog.depends_on.set([messaging])
    response = _change(admin_client, blog, status="done")
    assert response.status_code == 200
    assert "Blocked by “Write messaging” (to do)." in response.content.decode()
    blog.refresh_from_db()
    assert blog.status == LaunchTask.Status.TODO and blog.completed_at is None
