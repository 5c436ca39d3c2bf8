import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from alignment.dates import date_span_validators
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceQuerySet
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    PM = "pm", "Product manager"
    PMM = "pmm", "Product marketing manager"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    VIEWER = "viewer", "Viewer"

    @classmethod
    def can_write(cls, role: str) -> bool:
        """Viewers read; every other role writes."""
        return role != cls.VIEWER

    @classmethod
    def can_manage_members(cls, role: str) -> bool:
        return role == cls.ADMIN


class Currency(models.TextChoices):
    """The currency a workspace's money (spend, revenue, CPA) is in: ISO 4217 codes."""

    USD = "USD", "US dollar (USD)"
    EUR = "EUR", "Euro (EUR)"
    GBP = "GBP", "Pound sterling (GBP)"
    CAD = "CAD", "Canadian dollar (CAD)"
    AUD = "AUD", "Australian dollar (AUD)"
    NZD = "NZD", "New Zealand dollar (NZD)"
    CHF = "CHF", "Swiss franc (CHF)"
    SEK = "SEK", "Swedish krona (SEK)"
    NOK = "NOK", "Norwegian krone (NOK)"
    DKK = "DKK", "Danish krone (DKK)"
    PLN = "PLN", "Polish złoty (PLN)"
    JPY = "JPY", "Japanese yen (JPY)"
    KRW = "KRW", "South Korean won (KRW)"
    SGD = "SGD", "Singapore dollar (SGD)"
    INR = "INR", "Indian rupee (INR)"
    BRL = "BRL", "Brazilian real (BRL)"
    MXN = "MXN", "Mexican peso (MXN)"
    ZAR = "ZAR", "South African rand (ZAR)"


class WorkspaceManager(models.Manager):
    def for_user(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Workspace(models.Model):
    """The tenant: every domain row belongs to exactly one workspace."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    currency = models.CharField(
        max_length=3,
        choices=Currency.choices,
        default=Currency.USD,
        help_text="The currency of the workspace's money: spend, revenue and CPA.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workspace_home", kwargs={"workspace_slug": self.slug})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["workspace__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="membership_unique_user")
        ]

    def __str__(self):
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def can_write(self) -> bool:
        return Role.can_write(self.role)

    @property
    def can_manage_members(self) -> bool:
        return Role.can_manage_members(self.role)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_EXPIRY_DAYS)


class InvitationQuerySet(WorkspaceQuerySet):
    def open(self):
        """Pending and not expired: the invitations that can still be accepted."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(WorkspaceScopedModel):
    """An admin's invitation to join a workspace: its invitee becomes a member only by
    accepting it, with the invited role.

    `username` is the name the admin typed; `invitee` the active user of that name when
    one existed. An invitation to a name nobody has is kept and listed like any other (it
    can never be accepted), so the admins' list of pending invitations does not tell which
    names are accounts on this server.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    username = models.CharField(max_length=150)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The secret of the invitee's link (/invitations/<token>/); it opens only for them.
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "username"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_name",
            ),
            models.UniqueConstraint(
                fields=["workspace", "invitee"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_invitee",
            ),
        ]

    def __str__(self):
        return f"{self.username} to {self.workspace} as {self.role} ({self.status})"

    def get_absolute_url(self):
        return reverse("invitation_detail", kwargs={"token": self.token})

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


class Product(WorkspaceScopedModel):
    class Stage(models.TextChoices):
        IDEATION = "ideation", "Ideation"
        RESEARCH = "research", "Research"
        PLANNING = "planning", "Planning"
        DEVELOPMENT = "development", "Development"
        LAUNCH = "launch", "Launch"
        POST_LAUNCH = "post_launch", "Post-launch"

    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.IDEATION)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Imports find products by name, so names are unique per workspace, any case.
            unique_per_workspace("product")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("product_detail", self)


def validate_media_links(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Media links must be a list of URLs.")
    check_url = URLValidator(schemes=["http", "https"])
    for link in value:
        check_url(link)


# A reference to the feature's work elsewhere: a Jira key (PAY-123), a Linear identifier
# (ENG-45), or a GitHub repository, label or release (github:owner/repo,
# github:owner/repo#label, github:owner/repo@v2.1).
EXTERNAL_REF = re.compile(
    r"^(?:[A-Z][A-Z0-9_]{0,19}-[1-9][0-9]{0,8}"
    r"|github:[A-Za-z0-9_.-]{1,39}/[A-Za-z0-9_.-]{1,100}(?:[#@][^\s]{1,100})?)$"
)
MAX_EXTERNAL_REFS = 20


def validate_external_refs(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("External references must be a list of strings.")
    if len(value) > MAX_EXTERNAL_REFS:
        raise ValidationError(f"At most {MAX_EXTERNAL_REFS} external references.")
    for ref in value:
        if not EXTERNAL_REF.match(ref):
            raise ValidationError(
                f"“{ref[:60]}” is not a reference: use a Jira or Linear key (PAY-123) or "
                f"github:owner/repo (optionally #label or @tag)."
            )


class Feature(WorkspaceScopedModel):
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        PLANNED = "planned", "Planned"
        IN_DEVELOPMENT = "in_development", "In development"
        BETA = "beta", "Beta"
        RELEASED = "released", "Released"
        RETIRED = "retired", "Retired"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IDEA)
    release_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    anticipated_value = models.TextField(
        blank=True, help_text="The value customers are expected to get from it."
    )
    media_links = models.JSONField(default=list, blank=True, validators=[validate_media_links])
    external_refs = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_external_refs],
        help_text="Jira/Linear keys or github:owner/repo references; their release releases it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "product",
                Lower("name"),
                name="feature_unique_name_per_product",
                violation_error_message="This product already has a feature with this name.",
            )
        ]

    def __str__(self):
        return f"{self.product.name} / {self.name}"

    def get_absolute_url(self):
        return detail_url("feature_detail", self)

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED

    def clean(self):
        super().clean()
        if self.status == self.Status.RELEASED and self.release_date is None:
            raise ValidationError({"release_date": "A released feature needs its release date."})


# Messaging's models carry the alignment app label: Django finds them through this module.
import alignment.messaging.models  # noqa: E402, F401
