"""The demo workspace that `make run` loads. Idempotent: running it again changes nothing.

Later issues extend `seed_demo` with their own data, each through its app's services.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from alignment.collaboration import demo as collaboration_demo
from alignment.messaging import demo as messaging_demo
from alignment.models import Feature, Membership, Product, Role, Workspace

DEMO_PASSWORD = "tandem-demo"
# The ops login of the embedded default: a superuser for /admin/, in no workspace. In
# production ops accounts are made with `manage.py createsuperuser` (README).
DEMO_OPS = "demo-ops"
DEMO_WORKSPACE = {"slug": "acme", "name": "Acme Analytics"}
DEMO_USERS = [
    ("demo-admin", "Avery", "Admin", Role.ADMIN),
    ("demo-pm", "Priya", "Patel", Role.PM),
    ("demo-pmm", "Marco", "Rossi", Role.PMM),
    ("demo-marketing", "Mia", "Chen", Role.MARKETING),
    ("demo-viewer", "Victor", "Lee", Role.VIEWER),
]
DEMO_PRODUCTS = [
    (
        "Acme Insights",
        Product.Stage.POST_LAUNCH,
        "Self-serve product analytics for B2B SaaS teams.",
        [
            ("Funnel reports", Feature.Status.RELEASED, -210, "See where users drop off."),
            ("Cohort retention", Feature.Status.RELEASED, -120, "Week-over-week retention."),
            ("AI summaries", Feature.Status.BETA, 21, "Plain-language summaries of dashboards."),
            ("Warehouse sync", Feature.Status.IN_DEVELOPMENT, 45, "Two-way sync with warehouses."),
        ],
    ),
    (
        "Acme Pulse",
        Product.Stage.DEVELOPMENT,
        "In-app surveys and NPS for product teams.",
        [
            ("NPS surveys", Feature.Status.PLANNED, 60, "Collect NPS inside the product."),
            ("Survey targeting", Feature.Status.IDEA, None, "Show surveys to the right users."),
        ],
    ),
]


@transaction.atomic
def seed_demo(today: date | None = None) -> Workspace:
    today = today or date.today()
    User = get_user_model()
    workspace, _ = Workspace.objects.update_or_create(
        slug=DEMO_WORKSPACE["slug"], defaults={"name": DEMO_WORKSPACE["name"]}
    )
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(user=user, workspace=workspace, defaults={"role": role})
    for product_name, stage, description, features in DEMO_PRODUCTS:
        product, _ = Product.objects.update_or_create(
            workspace=workspace,
            name=product_name,
            defaults={"stage": stage, "description": description},
        )
        for name, status, offset_days, anticipated_value in features:
            release_date = today + timedelta(days=offset_days) if offset_days is not None else None
            Feature.objects.update_or_create(
                workspace=workspace,
                product=product,
                name=name,
                defaults={
                    "status": status,
                    "release_date": release_date,
                    "anticipated_value": anticipated_value,
                },
            )
    messaging_demo.seed(workspace, today=today)
    collaboration_demo.seed(workspace)
    return workspace


def seed_demo_ops():
    """The demo's ops account (superuser); idempotent, its password reset to the demo's."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_OPS, defaults={"email": f"{DEMO_OPS}@example.com"}
    )
    if created or not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user
