import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from programs.enums import BenefitKind, ProgramRole, QuestionKind, RuleOperator, RuleSeverity
from programs.models import Benefit, Cohort, Criterion, EligibilityRule, Program, ProgramMembership, Question


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    summary = "A program for startups."


class ProgramMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramMembership

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = ProgramRole.REVIEWER


class CohortFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened a week ago, closes in a month."""

    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    decision_date = factory.LazyFunction(lambda: (timezone.now() + datetime.timedelta(days=45)).date())
    capacity = 10


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    cohort = factory.SubFactory(CohortFactory)
    key = factory.Sequence(lambda n: f"question_{n}")
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.SHORT_TEXT
    order = factory.Sequence(lambda n: n)


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    program = factory.SubFactory(ProgramFactory)
    field = "startup.incorporation_country"
    operator = RuleOperator.EQUALS
    value = "US"
    failure_message = "Startups must be incorporated in the United States."
    severity = RuleSeverity.HARD


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1.00")
    scale_min = 1
    scale_max = 5


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    program = factory.SubFactory(ProgramFactory)
    name = "Monthly funding"
    kind = BenefitKind.MONTHLY_STIPEND
    amount = Decimal("6000")
    months = 6
