"""What was learned and where: studies, the insights they produce, their tags and the
competitors insights mention."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from alignment.dates import date_span_validators
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace
from research.markdown import render_markdown
from research.markdown import validate_safe_markdown
from research.models._common import MAX_BODY_LENGTH
from research.models._common import MAX_TEXT_LENGTH
from research.models.personas import Persona
from research.models.personas import Segment


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
            unique_per_workspace("study", "title"),
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
        return detail_url("research:study_detail", self)


class Tag(WorkspaceScopedModel):
    """A free label on insights, reused by name (any case) within the workspace."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [unique_per_workspace("tag")]

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
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="The insight this one repeats: the same evidence, counted once.",
    )
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
        return detail_url("research:insight_detail", self)

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
        constraints = [unique_per_workspace("competitor")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("research:competitor_detail", self)
