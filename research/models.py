"""Customer knowledge: personas, segments, studies, insights, opportunities, competitors,
journey maps. Every model inherits WorkspaceScopedModel, so it carries `workspace` directly."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from alignment.dates import date_span_validators
from alignment.tenancy import WorkspaceScopedModel
from research.markdown import render_markdown, validate_safe_markdown

# Long text is capped so one request cannot store megabytes of prose.
MAX_BODY_LENGTH = 20_000
MAX_TEXT_LENGTH = 5_000


def _url(name: str, obj) -> str:
    return reverse(f"research:{name}", kwargs={"workspace_slug": obj.workspace.slug, "pk": obj.pk})


def _unique_name(model: str, field: str = "name"):
    return models.UniqueConstraint(
        "workspace",
        Lower(field),
        name=f"{model}_unique_{field}_per_workspace",
        violation_error_message=f"A {model.replace('_', ' ')} with this {field} already exists.",
    )


class Persona(WorkspaceScopedModel):
    """Who the product is for: goals, pains, jobs to be done, where they are, what they use."""

    name = models.CharField(max_length=120)
    summary = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    goals = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    pains = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    jobs_to_be_done = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    channels = models.TextField(blank=True, help_text="Where they are: communities, media, events.")
    current_tools = models.TextField(blank=True, help_text="What they use now.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="persona_unique_name_per_workspace",
                violation_error_message="A persona with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "research:persona_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class Segment(WorkspaceScopedModel):
    """A group of customers defined by criteria (size, industry, behaviour...)."""

    name = models.CharField(max_length=120)
    criteria = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    personas = models.ManyToManyField(Persona, blank=True, related_name="segments")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [_unique_name("segment")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url("segment_detail", self)


class Study(WorkspaceScopedModel):
    """A piece of research work that produces insights."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        SURVEY = "survey", "Survey"
        BETA_TEST = "beta_test", "Beta test"
        USABILITY = "usability", "Usability test"
        SUPPORT_ANALYSIS = "support_analysis", "Support analysis"
        MARKET_ANALYSIS = "market_analysis", "Market analysis"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTERVIEW)
    title = models.CharField(max_length=200)
    started_on = models.DateField(null=True, blank=True, validators=date_span_validators())
    ended_on = models.DateField(null=True, blank=True, validators=date_span_validators())
    summary = models.TextField(
        blank=True,
        help_text="Markdown.",
        validators=[MaxLengthValidator(MAX_BODY_LENGTH), validate_safe_markdown],
    )
    survey = models.CharField(
        max_length=200,
        blank=True,
        help_text="The survey name of its imported responses (Metrics > Imports, kind survey): "
        "the study page shows their NPS and CSAT.",
    )
    personas = models.ManyToManyField(Persona, blank=True, related_name="studies")
    segments = models.ManyToManyField(Segment, blank=True, related_name="studies")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name_plural = "studies"
        constraints = [
            _unique_name("study", "title"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="study_ends_after_start",
                violation_error_message="A study cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _url("study_detail", self)


class Tag(WorkspaceScopedModel):
    """A free label on insights, reused by name (any case) within the workspace."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [_unique_name("tag")]

    def __str__(self):
        return self.name


class Insight(WorkspaceScopedModel):
    """The atomic unit of customer knowledge."""

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEUTRAL = "neutral", "Neutral"
        NEGATIVE = "negative", "Negative"
        MIXED = "mixed", "Mixed"

    title = models.CharField(max_length=200)
    body = models.TextField(
        blank=True,
        help_text="Markdown.",
        validators=[MaxLengthValidator(MAX_BODY_LENGTH), validate_safe_markdown],
    )
    evidence = models.TextField(
        blank=True,
        help_text="A verbatim quote or the data point behind it.",
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where it comes from: a call, a ticket, a survey."
    )
    sentiment = models.CharField(
        max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    study = models.ForeignKey(
        Study, null=True, blank=True, on_delete=models.SET_NULL, related_name="insights"
    )
    personas = models.ManyToManyField(Persona, blank=True, related_name="insights")
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="research_insights"
    )
    competitors = models.ManyToManyField("Competitor", blank=True, related_name="insights")
    tags = models.ManyToManyField(Tag, blank=True, related_name="insights")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _url("insight_detail", self)

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)


class Competitor(WorkspaceScopedModel):
    """A competing product; insights mention it and battlecards argue against it."""

    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    positioning = models.TextField(
        blank=True,
        help_text="How they describe themselves.",
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
    )
    strengths = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    weaknesses = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="competitor_unique_name_per_workspace",
                violation_error_message="A competitor with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "research:competitor_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class Opportunity(WorkspaceScopedModel):
    """A customer problem worth solving, stated as a hypothesis and validated by evidence."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        VALIDATING = "validating", "Validating"
        VALIDATED = "validated", "Validated"
        INVALIDATED = "invalidated", "Invalidated"

    # identified -> validating -> validated | invalidated; a decided one can be reopened.
    TRANSITIONS = {
        Status.IDENTIFIED: {Status.VALIDATING},
        Status.VALIDATING: {Status.VALIDATED, Status.INVALIDATED, Status.IDENTIFIED},
        Status.VALIDATED: {Status.VALIDATING},
        Status.INVALIDATED: {Status.VALIDATING},
    }

    title = models.CharField(max_length=200)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    problem = models.TextField(
        blank=True, help_text="…has <problem>", validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    reason = models.TextField(
        blank=True, help_text="…because <reason>", validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    signal = models.TextField(
        blank=True,
        help_text="…we will know we are right when <signal>",
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
    )
    description = models.TextField(
        blank=True,
        help_text="Markdown.",
        validators=[MaxLengthValidator(MAX_BODY_LENGTH), validate_safe_markdown],
    )
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="research_opportunities"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    insights = models.ManyToManyField(
        Insight, through="Evidence", blank=True, related_name="opportunities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "opportunities"
        constraints = [_unique_name("opportunity", "title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _url("opportunity_detail", self)

    @property
    def hypothesis(self) -> str:
        """'We believe <persona> has <problem> because <reason>; we will know ... <signal>'."""
        persona = self.persona.name if self.persona_id else "our customers"
        problem = self.problem.strip() or "…"
        reason = self.reason.strip() or "…"
        signal = self.signal.strip() or "…"
        return (
            f"We believe {persona} has {problem} because {reason}; "
            f"we will know we are right when {signal}"
        )

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class Evidence(WorkspaceScopedModel):
    """An insight supporting or contradicting an opportunity's hypothesis."""

    class Stance(models.TextChoices):
        SUPPORTING = "supporting", "Supporting"
        CONTRADICTING = "contradicting", "Contradicting"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="evidence")
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="evidence_links")
    stance = models.CharField(max_length=14, choices=Stance.choices, default=Stance.SUPPORTING)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stance", "-created_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "insight"],
                name="evidence_unique_insight_per_opportunity",
                violation_error_message="This insight is already evidence for the opportunity.",
            )
        ]

    def __str__(self):
        return f"{self.insight} ({self.stance}) → {self.opportunity}"


class OpportunityStatusChange(WorkspaceScopedModel):
    """Who moved an opportunity from one status to another, when and why."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Opportunity.Status.choices)
    to_status = models.CharField(max_length=12, choices=Opportunity.Status.choices)
    reason = models.TextField(validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.opportunity}: {self.from_status} → {self.to_status}"


class JourneyMap(WorkspaceScopedModel):
    """A persona's journey: ordered stages with touchpoints, pains and opportunities."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="journey_maps")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["persona__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "persona",
                Lower("name"),
                name="journey_map_unique_name_per_persona",
                violation_error_message="This persona already has a journey map with this name.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url("journeymap_detail", self)


class JourneyStage(WorkspaceScopedModel):
    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    touchpoints = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    pains = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    opportunities = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])

    class Meta:
        ordering = ["journey_map", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey_map", "position"], name="journey_stage_unique_position"
            )
        ]

    def __str__(self):
        return self.name


class InsightImport(WorkspaceScopedModel):
    """One CSV import of insights: its counts and the rows it rejected, kept so they can be
    downloaded (errors.csv) once the page that listed them is gone."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    header = models.JSONField(default=list, blank=True, help_text="The file's header row.")
    rejected = models.JSONField(
        default=list,
        blank=True,
        help_text="One entry per rejected row: {line, cells, errors: [{column, reason}]}.",
    )
    message = models.TextField(
        blank=True, help_text="Notes on the file: read as Windows-1252, rejected rows not kept."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"Insight import #{self.pk}"

    @property
    def errors(self) -> list[dict]:
        """[{line, column, reason}], one per problem (a row can have several)."""
        return [
            {"line": row["line"], "column": error["column"], "reason": error["reason"]}
            for row in self.rejected
            for error in row["errors"]
        ]
