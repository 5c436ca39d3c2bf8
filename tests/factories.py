"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")


class ScopedFactory(factory.django.DjangoModelFactory):
    """Base of the factories of workspace-scoped rows: a new workspace unless one is given."""

    class Meta:
        abstract = True

    workspace = factory.SubFactory(WorkspaceFactory)


class MembershipFactory(ScopedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PM


class InvitationFactory(ScopedFactory):
    """A pending invitation of an existing user (pass `invitee=None, username=...` for a
    name that is nobody's)."""

    class Meta:
        model = Invitation

    invitee = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda invitation: invitation.invitee.username)
    role = Role.PM


class ProductFactory(ScopedFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    stage = Product.Stage.DEVELOPMENT


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    product = factory.SubFactory(ProductFactory)
    workspace = factory.SelfAttribute("product.workspace")
    name = factory.Sequence(lambda n: f"Feature {n}")
    status = Feature.Status.PLANNED
