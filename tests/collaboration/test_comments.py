"""Comments with @mentions: the services, the comments/ API, the thread on each page and
the mentions/ route behind `@` autocompletion."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse

from alignment.collaboration import subjects
from alignment.collaboration.models import Comment
from alignment.collaboration.models import Event
from alignment.collaboration.models import Notification
from alignment.collaboration.services import comment_create
from alignment.collaboration.services import comment_delete
from alignment.collaboration.services import comment_update
from alignment.collaboration.services.comments import mention_tokens
from alignment.collaboration.services.comments import render_comment
from alignment.collaboration.subjects import SubjectType
from alignment.models import Role
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import HandoffDocumentFactory
from tests.collaboration.factories import CommentFactory
from tests.contract import FIELDS as CONTRACT
from tests.factories import UserFactory
from tests.launches.factories import LaunchFactory
from tests.metrics.factories import DiagnosisFactory
from tests.research.factories import InsightFactory
from tests.research.factories import OpportunityFactory

# The subjects the other apps register in their AppConfig.ready; registered here for the
# test only when missing, so these tests do not depend on when that lands.
OTHER_APPS_SUBJECTS = {
    "insight": "research.Insight",
    "opportunity": "research.Opportunity",
    "launch": "launches.Launch",
    "diagnosis": "metrics.Diagnosis",
}


@pytest.fixture(autouse=True)
def _commentable_subjects(monkeypatch):
    for name, label in OTHER_APPS_SUBJECTS.items():
        if subjects.get(name) is None:
            monkeypatch.setitem(
                subjects._TYPES, name, SubjectType(name, label, lambda instance: [], True)
            )


@pytest.fixture
def pm(member):
    return member(Role.PM, username="ana", first_name="Ana", last_name="Lima")


@pytest.fixture
def pmm(member):
    return member(Role.PMM, username="bo", first_name="Bo", last_name="Berg")


@pytest.fixture
def claim(workspace, pm):
    return ClaimFactory(workspace=workspace, author=pm, headline="Faster sync")


def _claim_comment(actor, workspace, claim_id, body):
    return comment_create(
        actor=actor, workspace=workspace, subject_type="claim", subject_id=claim_id, body=body
    )


def comments_url(workspace):
    return reverse("collaboration-api:comment-list", kwargs={"workspace_slug": workspace.slug})


def comment_url(workspace, comment):
    return reverse(
        "collaboration-api:comment-detail",
        kwargs={"workspace_slug": workspace.slug, "pk": comment.pk},
    )


def events(kind):
    return list(Event.objects.filter(kind=kind).order_by("id"))


# --- Mentions --------------------------------------------------------------------------


def test_mention_tokens_end_at_punctuation_and_skip_email_addresses():
    body = "Thanks @ana, and @bo: see @carl. Mail ana@example.com (@dee) @ana again"
    assert mention_tokens(body) == ["ana", "bo", "carl.", "dee"]


@pytest.mark.django_db
def test_mentions_resolve_case_insensitively_among_members_only(
    workspace, other_workspace, pm, pmm, member
):
    author = member(Role.MARKETING, username="cy")
    UserFactory(username="stranger")
    member(Role.PM, workspace_=other_workspace, username="elsewhere")
    comment = _claim_comment(
        author,
        workspace,
        ClaimFactory(workspace=workspace).pk,
        "@ANA, @Bo. what do @stranger, @elsewhere and @nobody think? ana@example.com",
    )
    assert sorted(comment.mentions.values_list("username", flat=True)) == ["ana", "bo"]


@pytest.mark.django_db
def test_a_username_ending_in_a_period_wins_over_the_shorter_name(workspace, member, pm):
    dotted = member(Role.PMM, username="ana.")
    claim = ClaimFactory(workspace=workspace)
    comment = _claim_comment(member(Role.SALES), workspace, claim.pk, "Ask @ana.")
    assert list(comment.mentions.all()) == [dotted]


# --- Events ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_comment_notifies_followers_and_earlier_commenters_and_mentioned_apart(
    workspace, claim, pm, pmm, member
):
    sales = member(Role.SALES, username="sal")
    support = member(Role.SUPPORT, username="sue", first_name="Sue", last_name="Park")
    _claim_comment(sales, workspace, claim.pk, "First.")
    Event.objects.all().delete()

    comment = _claim_comment(support, workspace, claim.pk, "@bo can you check? cc @sue")

    created, mentioned = events("comment.created"), events("member.mentioned")
    assert len(created) == 1 and len(mentioned) == 1
    # The claim's author follows it, sal commented before; bo is mentioned instead; the
    # actor (sue, who mentions herself too) never hears of her own comment.
    assert created[0].recipient_ids == sorted([pm.pk, sales.pk])
    assert created[0].message == "Sue Park commented on claim “Faster sync”"
    assert created[0].subject_type == "claim" and created[0].subject_id == claim.pk
    assert created[0].url == claim.get_absolute_url()
    assert created[0].data["comment_id"] == comment.pk
    assert mentioned[0].recipient_ids == [pmm.pk]
    assert mentioned[0].message == "Sue Park mentioned you on claim “Faster sync”"
    assert mentioned[0].actor == support


@pytest.mark.django_db
def test_the_author_commenting_alone_notifies_nobody_but_webhooks_hear_of_it(workspace, claim, pm):
    _claim_comment(pm, workspace, claim.pk, "Note.")
    event = Event.objects.get()
    assert event.kind == "comment.created" and event.recipient_ids == []


@pytest.mark.django_db
def test_mentioned_member_is_notified_after_commit(
    workspace, claim, pmm, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _claim_comment(member(Role.SALES), workspace, claim.pk, "@bo please look")
    notification = Notification.objects.get(recipient=pmm)
    assert notification.event.kind == "member.mentioned"


@pytest.mark.django_db
def test_a_rolled_back_comment_tells_nobody(workspace, claim, member):
    with pytest.raises(ValidationError):
        _claim_comment(member(Role.SALES), workspace, claim.pk, "   ")
    assert not Comment.objects.exists() and not Event.objects.exists()


# --- Service rules ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "subject_type,subject_id,body,field",
    [
        ("claim", None, "Hi", "subject_id"),
        ("claim", "abc", "Hi", "subject_id"),
        ("claim", 2**70, "Hi", "subject_id"),
        ("feature", 1, "Hi", "subject_type"),  # registered, not commentable
        ("nonsense", 1, "Hi", "subject_type"),
        ("claim", "CLAIM", "", "body"),
        ("claim", "CLAIM", "x" * 10_001, "body"),
        ("claim", "CLAIM", "a\x00b", "body"),
    ],
)
def test_bad_input_is_a_validation_error_on_its_field(
    workspace, claim, pm, subject_type, subject_id, body, field
):
    subject_id = claim.pk if subject_id == "CLAIM" else subject_id
    with pytest.raises(ValidationError) as error:
        comment_create(
            actor=pm,
            workspace=workspace,
            subject_type=subject_type,
            subject_id=subject_id,
            body=body,
        )
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_body_is_stripped(workspace, claim, pm):
    comment = _claim_comment(pm, workspace, claim.pk, "  ok \n")
    assert comment.body == "ok"


@pytest.mark.django_db
def test_another_workspaces_subject_looks_missing(workspace, other_workspace, pm):
    foreign = ClaimFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        _claim_comment(pm, workspace, foreign.pk, "Hi")
    assert error.value.message_dict["subject_id"] == [f"No claim with id {foreign.pk} here."]


@pytest.mark.django_db
def test_viewer_cannot_comment(workspace, claim, viewer):
    with pytest.raises(PermissionDenied):
        _claim_comment(viewer, workspace, claim.pk, "Hi")


@pytest.mark.django_db
def test_only_the_author_or_an_admin_deletes(workspace, claim, pm, pmm, admin_user):
    comment = CommentFactory(workspace=workspace, subject_id=claim.pk, author=pm)
    with pytest.raises(PermissionDenied):
        comment_delete(actor=pmm, comment=comment)
    comment_delete(actor=admin_user, comment=comment)
    own = CommentFactory(workspace=workspace, subject_id=claim.pk, author=pmm)
    comment_delete(actor=pmm, comment=own)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_editing_notifies_only_the_newly_mentioned(workspace, claim, pm, pmm, member):
    sales = member(Role.SALES, username="sal")
    comment = _claim_comment(pm, workspace, claim.pk, "@bo hi")
    Event.objects.all().delete()
    with pytest.raises(PermissionDenied):
        comment_update(actor=pmm, comment=comment, body="rewritten")
    comment = comment_update(actor=pm, comment=comment, body="@bo and @sal, hi")
    assert sorted(comment.mentions.values_list("username", flat=True)) == ["bo", "sal"]
    assert [event.recipient_ids for event in events("member.mentioned")] == [[sales.pk]]


# --- Rendering -------------------------------------------------------------------------


def test_render_highlights_mentions_outside_code_links_and_attributes():
    html = str(
        render_comment(
            '**Hi** @ana, `@ana` [@ana](https://example.com "t>@ana") @zed',
            ["ana"],
        )
    )
    assert '<strong>Hi</strong> <span class="mention">@ana</span>,' in html
    assert "<code>@ana</code>" in html
    assert 'title="t&gt;@ana" rel="noopener noreferrer">@ana</a>' in html
    assert "@zed" in html and 'mention">@zed' not in html


def test_render_leaves_attribute_values_alone_whatever_they_hold():
    html = str(render_comment('<abbr title="a>@ana &quot;x">@ana</abbr> @ana', ["ana"]))
    assert html.count('<span class="mention">') == 2
    assert 'title="a' in html and '@ana &quot;x"' in html


def test_render_is_sanitised():
    html = str(render_comment('<script>alert(1)</script><img src=x onerror="alert(2)"> ok', []))
    assert "<script" not in html and "alert(1)" not in html and "onerror" not in html
    assert "ok" in html


# --- API -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_create_list_and_delete(api, workspace, claim, pmm, user):
    response = api.post(
        comments_url(workspace),
        {"subject_type": "claim", "subject_id": claim.pk, "body": "Ship it, @BO!"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == set(CONTRACT["comments/"])
    assert body["author"] == user.username
    assert body["mentions"] == ["bo"]
    assert body["subject_type"] == "claim" and body["subject_id"] == claim.pk
    assert '<span class="mention">@BO</span>' in body["body_html"]

    CommentFactory(workspace=workspace, subject_id=ClaimFactory(workspace=workspace).pk)
    listed = api.get(comments_url(workspace), {"subject_type": "claim", "subject_id": claim.pk})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]

    comment = Comment.objects.get(pk=body["id"])
    assert api.delete(comment_url(workspace, comment)).status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.django_db
def test_api_lists_oldest_first_in_few_queries(
    api, workspace, claim, member, django_assert_max_num_queries
):
    for n in range(12):
        comment = CommentFactory(
            workspace=workspace, subject_id=claim.pk, author=member(), body=f"#{n} @ana"
        )
        comment.mentions.set([member()])
    with django_assert_max_num_queries(5):
        response = api.get(
            comments_url(workspace), {"subject_type": "claim", "subject_id": claim.pk}
        )
    assert [row["body"] for row in response.json()["results"]] == [f"#{n} @ana" for n in range(12)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,field",
    [
        ({"subject_type": "claim"}, "subject_id"),
        ({"subject_id": 1}, "subject_type"),
        ({"subject_type": "claim", "subject_id": "x"}, "subject_id"),
        ({"subject_type": "claim", "subject_id": 2**70}, "subject_id"),
        ({"subject_type": "feature", "subject_id": 1}, "subject_type"),
    ],
)
def test_api_list_bad_subject_is_400(api, workspace, params, field):
    response = api.get(comments_url(workspace), params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_api_list_of_another_tenants_subject_is_404(api, workspace, other_workspace):
    foreign = ClaimFactory(workspace=other_workspace)
    CommentFactory(workspace=other_workspace, subject_id=foreign.pk)
    response = api.get(comments_url(workspace), {"subject_type": "claim", "subject_id": foreign.pk})
    assert response.status_code == 404
    missing = api.get(comments_url(workspace), {"subject_type": "claim", "subject_id": 10**9})
    assert missing.status_code == 404
    assert response.json() == missing.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,field",
    [
        ({"subject_type": "nope", "subject_id": 1, "body": "x"}, "subject_type"),
        ({"subject_type": "claim", "subject_id": 10**9, "body": "x"}, "subject_id"),
        ({"subject_type": "claim", "body": "x"}, "subject_id"),
        ({"subject_type": "claim", "subject_id": "CLAIM", "body": ""}, "body"),
        ({"subject_type": "claim", "subject_id": "CLAIM", "body": "   "}, "body"),
        ({"subject_type": "claim", "subject_id": "CLAIM", "body": "x" * 10_001}, "body"),
        ({"subject_type": "claim", "subject_id": "CLAIM"}, "body"),
    ],
)
def test_api_create_bad_input_is_400(api, workspace, claim, data, field):
    data = {key: claim.pk if value == "CLAIM" else value for key, value in data.items()}
    response = api.post(comments_url(workspace), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_api_create_on_another_tenants_subject_is_400_like_missing(api, workspace, other_workspace):
    foreign = ClaimFactory(workspace=other_workspace)
    response = api.post(
        comments_url(workspace),
        {"subject_type": "claim", "subject_id": foreign.pk, "body": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "subject_id" in response.json()


@pytest.mark.django_db
def test_api_other_tenants_comment_is_404(api, workspace, other_workspace):
    foreign = CommentFactory(workspace=other_workspace)
    assert api.get(comment_url(workspace, foreign)).status_code == 404
    assert api.delete(comment_url(workspace, foreign)).status_code == 404
    assert Comment.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_api_viewer_reads_but_cannot_comment(api_client, workspace, claim, viewer):
    api_client.force_authenticate(viewer)
    comment = CommentFactory(workspace=workspace, subject_id=claim.pk)
    params = {"subject_type": "claim", "subject_id": claim.pk}
    assert api_client.get(comments_url(workspace), params).status_code == 200
    response = api_client.post(comments_url(workspace), {**params, "body": "x"}, format="json")
    assert response.status_code == 403
    assert api_client.delete(comment_url(workspace, comment)).status_code == 403


@pytest.mark.django_db
def test_api_cannot_delete_someone_elses_comment(api, workspace, claim, pmm):
    comment = CommentFactory(workspace=workspace, subject_id=claim.pk, author=pmm)
    assert api.delete(comment_url(workspace, comment)).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.django_db
def test_api_author_edits_own_comment(api, workspace, claim, user, pmm):
    comment = CommentFactory(workspace=workspace, subject_id=claim.pk, author=user)
    response = api.patch(comment_url(workspace, comment), {"body": "Now @bo"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["mentions"] == ["bo"]
    empty = api.patch(comment_url(workspace, comment), {}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()


@pytest.mark.django_db
def test_api_markdown_is_sanitised(api, workspace, claim):
    response = api.post(
        comments_url(workspace),
        {
            "subject_type": "claim",
            "subject_id": claim.pk,
            "body": "<script>alert('x')</script>[click](javascript:alert(1)) **bold**",
        },
        format="json",
    )
    html = response.json()["body_html"]
    assert "<script" not in html and "javascript:" not in html
    assert "<strong>bold</strong>" in html


# --- Pages -----------------------------------------------------------------------------


def _subject(kind, workspace):
    if kind == "claim":
        return ClaimFactory(workspace=workspace, headline="Faster sync")
    if kind == "document":
        return HandoffDocumentFactory(workspace=workspace)
    if kind == "insight":
        return InsightFactory(workspace=workspace)
    if kind == "opportunity":
        return OpportunityFactory(workspace=workspace)
    if kind == "launch":
        return LaunchFactory(workspace=workspace)
    return DiagnosisFactory(workspace=workspace)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["claim", "document", "insight", "opportunity", "launch", "diagnosis"]
)
def test_each_subject_page_shows_its_thread_and_form(web, workspace, member, kind):
    subject = _subject(kind, workspace)
    CommentFactory(
        workspace=workspace,
        subject_type=kind,
        subject_id=subject.pk,
        author=member(Role.PMM, username="bo"),
        body="Looks **great** <script>alert(1)</script>",
    )
    response = web.get(subject.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comments"' in html
    assert "Looks <strong>great</strong>" in html
    assert "<script>alert(1)</script>" not in html
    post_url = reverse(
        "collaboration:comment_create",
        kwargs={"workspace_slug": workspace.slug, "subject_type": kind, "subject_id": subject.pk},
    )
    assert f'action="{post_url}"' in html
    assert "data-mentions-url=" in html and "js/mentions.js" in html


@pytest.mark.django_db
def test_viewer_sees_the_thread_without_the_form(client, workspace, viewer, claim):
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="comments"' in html and 'id="comment-form"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["claim", "insight", "launch", "diagnosis"])
def test_posting_the_form_comments_and_goes_back_to_the_page(web, workspace, pmm, kind):
    subject = _subject(kind, workspace)
    url = reverse(
        "collaboration:comment_create",
        kwargs={"workspace_slug": workspace.slug, "subject_type": kind, "subject_id": subject.pk},
    )
    response = web.post(url, {"body": "Agreed, @bo.", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == subject.get_absolute_url() + "#comments"
    comment = Comment.objects.get(subject_type=kind, subject_id=subject.pk)
    assert list(comment.mentions.all()) == [pmm]
    page = web.get(subject.get_absolute_url()).content.decode()
    assert '<span class="mention">@bo</span>' in page


@pytest.mark.django_db
def test_an_empty_comment_shows_the_error_on_the_page(web, workspace, claim):
    url = reverse(
        "collaboration:comment_create",
        kwargs={"workspace_slug": workspace.slug, "subject_type": "claim", "subject_id": claim.pk},
    )
    response = web.post(url, {"body": "  "}, follow=True)
    assert response.redirect_chain[-1][0] == claim.get_absolute_url() + "#comment-form"
    assert "Write a comment." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_other_tenants_unknown_subjects_and_viewers(
    web, client, workspace, other_workspace, viewer, claim
):
    def url(slug, subject_type, pk):
        return reverse(
            "collaboration:comment_create",
            kwargs={"workspace_slug": slug, "subject_type": subject_type, "subject_id": pk},
        )

    foreign = ClaimFactory(workspace=other_workspace)
    for slug, subject_type, pk in [
        (workspace.slug, "claim", foreign.pk),
        (other_workspace.slug, "claim", foreign.pk),
        (workspace.slug, "nonsense", claim.pk),
        (workspace.slug, "feature", claim.feature_id),  # registered, not commentable
    ]:
        assert web.post(url(slug, subject_type, pk), {"body": "x"}).status_code == 404
    assert web.get(url(workspace.slug, "claim", claim.pk)).status_code == 405
    client.force_login(viewer)
    assert client.post(url(workspace.slug, "claim", claim.pk), {"body": "x"}).status_code == 403
    assert not Comment.objects.exists()


# --- Mention autocompletion ------------------------------------------------------------


@pytest.mark.django_db
def test_mentions_route_suggests_members_by_username_or_name(
    web, workspace, other_workspace, member, pm, pmm
):
    member(Role.SALES, username="bob.sales", first_name="Robert", last_name="Stone")
    member(Role.PM, workspace_=other_workspace, username="bonnie")
    UserFactory(username="bogus")
    url = reverse("collaboration:mention_candidates", kwargs={"workspace_slug": workspace.slug})

    def names(q):
        response = web.get(url, {"q": q})
        assert response.status_code == 200
        return [row["username"] for row in response.json()["results"]]

    assert names("bo") == ["bo", "bob.sales"]
    assert names("@BO") == ["bo", "bob.sales"]
    assert names("rob") == ["bob.sales"]
    assert names("stone") == ["bob.sales"]
    assert names("ana lima") == ["ana"]
    assert names("zz") == []
    assert web.get(url, {"q": "a\x00"}).status_code in (200, 400)  # never a 500
    row = web.get(url, {"q": "ana"}).json()["results"][0]
    assert row == {"username": "ana", "name": "Ana Lima"}


@pytest.mark.django_db
def test_mentions_route_caps_at_ten(web, workspace, member):
    for n in range(12):
        member(Role.PM, username=f"m{n:02d}")
    url = reverse("collaboration:mention_candidates", kwargs={"workspace_slug": workspace.slug})
    assert len(web.get(url, {"q": "m"}).json()["results"]) == 10


@pytest.mark.django_db
def test_mentions_route_is_for_members_only(web, client, workspace, other_workspace):
    url = reverse(
        "collaboration:mention_candidates", kwargs={"workspace_slug": other_workspace.slug}
    )
    assert web.get(url, {"q": "a"}).status_code == 404
    client.logout()
    own = reverse("collaboration:mention_candidates", kwargs={"workspace_slug": workspace.slug})
    assert client.get(own, {"q": "a"}).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_api_without_a_subject_lists_the_workspaces_comments(api, workspace, other_workspace):
    own = CommentFactory(workspace=workspace)
    CommentFactory(workspace=other_workspace)
    response = api.get(comments_url(workspace))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


@pytest.mark.django_db
def test_the_form_with_an_id_past_bigint_is_404(web, workspace):
    url = f"/w/{workspace.slug}/comments/claim/{2**70}/"
    assert web.post(url, {"body": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_review_comment_joins_the_thread_and_tells_the_mentioned_once(
    workspace, claim, pm, pmm, member, django_capture_on_commit_callbacks
):
    from alignment.collaboration.models import Comment
    from alignment.collaboration.models import Notification
    from alignment.messaging.services import claim_review
    from alignment.messaging.services import claim_submit

    support = member("support", username="sam")
    with django_capture_on_commit_callbacks(execute=True):
        claim_submit(actor=pm, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(
            actor=pmm,
            claim=claim,
            decision="request_changes",
            comment=f"@{pm.username} add the proof point; @sam can help.",
        )
    comment = Comment.objects.get(subject_type="claim", subject_id=claim.pk)
    assert comment.author == pmm
    assert {user.username for user in comment.mentions.all()} == {pm.username, "sam"}
    # The author hears of it once, through the review; the other mentioned member by mention.
    kinds_for_pm = sorted(
        Notification.objects.filter(recipient=pm).values_list("event__kind", flat=True)
    )
    assert kinds_for_pm == ["claim.reviewed"]
    assert list(
        Notification.objects.filter(recipient=support).values_list("event__kind", flat=True)
    ) == ["member.mentioned"]
