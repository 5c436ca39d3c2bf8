"""Where product and marketing meet: positioning, claims, handoff documents, objectives,
two-way feedback, sync meetings and the workspace's activity feed.

Imported at the end of alignment/models.py so they belong to the alignment app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from alignment.dates import date_span_validators
from alignment.tenancy import WorkspaceScopedModel


class Team(models.TextChoices):
    """The team a member works for, derived from their role (see team_for_role)."""

    PRODUCT = "product", "Product"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    ADMIN = "admin", "Admin"
    VIEWER = "viewer", "Viewer"


# pm -> product; pmm and marketing -> marketing; every other role is its own team.
ROLE_TEAMS = {"pm": Team.PRODUCT, "pmm": Team.MARKETING, "marketing": Team.MARKETING}

# The teams work is handed to: feedback flows between them, launch tasks and milestones
# belong to one, diagnoses and their digests go to one.
WORK_TEAMS = [Team.PRODUCT, Team.MARKETING, Team.SALES, Team.SUPPORT]
WORK_TEAM_CHOICES = [(team.value, team.label) for team in WORK_TEAMS]


def team_for_role(role: str) -> str:
    return ROLE_TEAMS.get(role, role)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class Kpi(models.TextChoices):
    """The KPI names of API.md; the metrics engine computes each of them."""

    ROI = "roi", "ROI"
    ROAS = "roas", "ROAS"
    CONVERSION_RATE = "conversion_rate", "Conversion rate"
    LEAD_CONVERSION_RATE = "lead_conversion_rate", "Lead conversion rate"
    CTR = "ctr", "CTR"
    CPA = "cpa", "CPA"
    SPEND = "spend", "Spend"
    REVENUE = "revenue", "Revenue"
    VISITS = "visits", "Visits"
    PURCHASES = "purchases", "Purchases"
    ADOPTION = "adoption", "Adoption"
    RETENTION = "retention", "Retention"
    ACTIVE_USERS = "active_users", "Active users"
    NPS = "nps", "NPS"
    CSAT = "csat", "CSAT"


def _url(name: str, obj) -> str:
    return reverse(name, kwargs={"workspace_slug": obj.workspace.slug, "pk": obj.pk})


# --- Positioning ------------------------------------------------------------------------


class Positioning(WorkspaceScopedModel):
    """The positioning statement of one product for one persona. Editing it adds a
    PositioningVersion; the fields here always mirror the latest version."""

    product = models.ForeignKey(
        "alignment.Product", on_delete=models.CASCADE, related_name="positionings"
    )
    persona = models.ForeignKey(
        "research.Persona", on_delete=models.CASCADE, related_name="positionings"
    )
    target_customer = models.TextField("For", help_text="For (target customer) ...")
    need = models.TextField("Who", help_text="who (statement of need or opportunity) ...")
    alternative = models.TextField(
        "Unlike", blank=True, help_text="unlike (the primary competitive alternative) ..."
    )
    our_product = models.TextField(
        "Our product", help_text="our product (product category and key benefit) ..."
    )
    differentiator = models.TextField(
        "Because", blank=True, help_text="because (the primary differentiation) ..."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product__name", "persona__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "persona"],
                name="positioning_unique_product_persona",
                violation_error_message="This product already has a positioning for this persona.",
            )
        ]

    def __str__(self):
        return f"{self.product.name} for {self.persona.name}"

    def get_absolute_url(self):
        return _url("messaging:positioning_detail", self)


class PositioningVersion(WorkspaceScopedModel):
    """One saved state of a positioning statement: earlier ones stay readable."""

    positioning = models.ForeignKey(Positioning, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    target_customer = models.TextField()
    need = models.TextField()
    alternative = models.TextField(blank=True)
    our_product = models.TextField()
    differentiator = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["positioning", "number"], name="positioning_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.positioning} v{self.number}"


# --- Claims and handoff documents -------------------------------------------------------


class Reviewable(WorkspaceScopedModel):
    """Shared fields of what goes through review: draft -> in_review -> approved, or
    changes_requested (back to the author, who edits and submits again)."""

    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def supported(self) -> bool:
        """False while the feature it talks about is not released (or is retired)."""
        feature = getattr(self, "feature", None)
        return feature is None or feature.is_released


class Claim(Reviewable):
    headline = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    proof_point = models.TextField(blank=True, help_text="The evidence that backs the claim.")
    feature = models.ForeignKey(
        "alignment.Feature", on_delete=models.CASCADE, related_name="claims"
    )
    personas = models.ManyToManyField("research.Persona", blank=True, related_name="claims")

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return _url("messaging:claim_detail", self)


class HandoffDocument(Reviewable):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Internal press release"
        FEATURE_DEFINITION = "feature_definition", "Feature definition"
        DEMO_SCRIPT = "demo_script", "Demo script"
        USER_SCENARIO = "user_scenario", "User scenario"
        FAQ = "faq", "FAQ"
        BATTLECARD = "battlecard", "Battlecard"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    feature = models.ForeignKey(
        "alignment.Feature", on_delete=models.CASCADE, related_name="handoff_documents"
    )
    competitor = models.ForeignKey(
        "research.Competitor",
        # Deleting a competitor in research must not fail there; the battlecard then asks
        # for another competitor when it is next edited.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="battlecards",
        help_text="Battlecards only: the competitor it argues against.",
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _url("messaging:document_detail", self)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.BATTLECARD and self.competitor_id is None:
            raise ValidationError({"competitor": ["A battlecard needs the competitor it is for."]})
        if self.kind != self.Kind.BATTLECARD and self.competitor_id is not None:
            raise ValidationError({"competitor": ["Only battlecards name a competitor."]})


class Review(WorkspaceScopedModel):
    """One review decision, kept as history for a claim or a document."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REQUEST_CHANGES = "request_changes", "Request changes"

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    document = models.ForeignKey(
        HandoffDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False, document__isnull=True)
                | models.Q(claim__isnull=True, document__isnull=False),
                name="review_of_claim_or_document",
            )
        ]


# --- Objectives -------------------------------------------------------------------------


class Objective(WorkspaceScopedModel):
    """A goal owned jointly by one product owner and one marketing owner."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    product = models.ForeignKey(
        "alignment.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    # Recommended, not required: a goal is often set before both owners are named.
    product_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marketing_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(validators=date_span_validators())
    period_end = models.DateField(validators=date_span_validators())
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="objective_ends_after_start",
                violation_error_message="The period cannot end before it starts.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _url("messaging:objective_detail", self)

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": ["The period cannot end before it starts."]})


class ObjectiveTarget(WorkspaceScopedModel):
    class Direction(models.TextChoices):
        UP = "up", "At least (higher is better)"
        DOWN = "down", "At most (lower is better)"

    class Scope(models.TextChoices):
        WORKSPACE = "workspace", "Whole workspace"
        PRODUCT = "product", "Product"
        FEATURE = "feature", "Feature"
        CAMPAIGN = "campaign", "Campaign"
        CHANNEL = "channel", "Channel"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(max_length=24, choices=Kpi.choices)
    target = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="The value to reach, as the API carries the KPI: a fraction for rates "
        "(0.035 is 3.5%), a ratio for ROAS, an amount in the workspace's currency for money, "
        "a score for NPS. For totals (spend, revenue, visits, purchases) the whole period's: "
        "while it runs, the share of it gone is due.",
    )
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.WORKSPACE,
        help_text="What the KPI is measured over: the whole workspace (the default), a "
        "product, a feature, a campaign or a channel.",
    )
    scope_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The product, feature or campaign id, for those scopes.",
    )
    scope_value = models.CharField(
        max_length=60,
        blank=True,
        help_text="The channel's name, for a channel scope: one seen in the workspace's data.",
    )

    class Meta:
        ordering = ["objective", "id"]

    def __str__(self):
        from alignment.measures import engine  # the KPI engine formats the target

        return f"{self.get_kpi_display()} {engine().format_target_of(self)}"


# --- Feedback ---------------------------------------------------------------------------


class Feedback(WorkspaceScopedModel):
    """An item from one team to the other about a feature, campaign or launch."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class SubjectType(models.TextChoices):
        FEATURE = "feature", "Feature"
        CAMPAIGN = "campaign", "Campaign"
        LAUNCH = "launch", "Launch"

    from_team = models.CharField(max_length=12, choices=WORK_TEAM_CHOICES)
    to_team = models.CharField(max_length=12, choices=WORK_TEAM_CHOICES)
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_team=models.F("to_team")),
                name="feedback_between_two_teams",
                violation_error_message="Feedback goes from one team to another.",
            )
        ]
        indexes = [models.Index(fields=["workspace", "to_team", "status"])]

    def __str__(self):
        return self.title or self.body[:60]

    def get_absolute_url(self):
        return _url("messaging:feedback_detail", self)

    def clean(self):
        super().clean()
        if self.from_team and self.from_team == self.to_team:
            raise ValidationError({"to_team": ["Feedback goes to the other team."]})


class FeedbackComment(WorkspaceScopedModel):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


# --- Sync meetings ----------------------------------------------------------------------


class SyncMeeting(WorkspaceScopedModel):
    title = models.CharField(max_length=200, default="Product & marketing sync")
    date = models.DateField(validators=date_span_validators())
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    updates = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return _url("messaging:meeting_detail", self)


class ActionItem(WorkspaceScopedModel):
    meeting = models.ForeignKey(SyncMeeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_date", "id"]
        indexes = [models.Index(fields=["workspace", "owner", "done"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_date is not None and self.due_date < timezone.localdate()


# --- Activity feed ----------------------------------------------------------------------


class ActivityEvent(WorkspaceScopedModel):
    """One line of the workspace's activity feed, written by the @tracked services."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveIntegerField()
    target_label = models.CharField(max_length=200)
    target_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.target_type} {self.target_label}"
