"""The error pages are the site's own: styled, without a debug page, and the same 404 for a
missing page and another workspace's."""

import pytest
from django.views.defaults import server_error

from alignment.models import Role

pytestmark = pytest.mark.django_db


def test_a_missing_page_and_another_workspaces_page_answer_the_same_404(
    web, workspace, other_workspace
):
    missing = web.get("/w/no-such-workspace/products/")
    foreign = web.get(f"/w/{other_workspace.slug}/products/")
    assert missing.status_code == foreign.status_code == 404
    assert missing.content == foreign.content
    body = missing.content.decode()
    assert "Page not found" in body and "css/tandem.css" in body
    assert "Traceback" not in body and "URLconf" not in body


def test_a_write_a_role_may_not_make_is_a_styled_403(client, member, workspace):
    client.force_login(member(Role.VIEWER))
    answer = client.get(f"/w/{workspace.slug}/products/new/")
    assert answer.status_code == 403
    assert "Not allowed" in answer.content.decode()


def test_a_server_error_is_a_styled_500_naming_nobody(rf):
    answer = server_error(rf.get("/"))
    body = answer.content.decode()
    assert answer.status_code == 500
    assert "Something went wrong" in body and "css/tandem.css" in body
