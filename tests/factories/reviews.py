import datetime

import factory
from django.utils import timezone

from reviews.enums import ConflictSource, DecisionKind
from reviews.models import Assignment, ConflictOfInterest, Decision, Offer, Review


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment row only: use the services to move the application into review."""

    class Meta:
        model = Assignment

    application = factory.SubFactory("tests.factories.applicants.ApplicationFactory")
    reviewer = factory.SubFactory(
        "tests.factories.accounts.UserFactory", email=factory.Sequence(lambda n: f"reviewer{n}@reviewers{n}.test")
    )
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    reviewer = factory.SubFactory("tests.factories.accounts.UserFactory")
    startup = factory.SubFactory("tests.factories.applicants.StartupFactory")
    source = ConflictSource.DECLARED


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review. Submit it with ``reviews.services.review_submit``."""

    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory("tests.factories.applicants.ApplicationFactory")
    kind = DecisionKind.REJECT
    from_status = "in_review"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    application = factory.SubFactory("tests.factories.applicants.ApplicationFactory")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
