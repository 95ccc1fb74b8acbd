"""The Llama for Startups program as the demo seeds it. Idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from programs.enums import BenefitKind, ProgramRole, QuestionKind, RuleOperator, RuleSeverity
from programs.models import Benefit, Cohort, Criterion, EligibilityRule, Program, ProgramMembership, Question

LLAMA_MODELS = [
    "Llama 3.1 8B",
    "Llama 3.1 70B",
    "Llama 3.1 405B",
    "Llama 3.2 1B",
    "Llama 3.2 3B",
    "Llama 3.2 11B Vision",
    "Llama 3.2 90B Vision",
    "Llama 3.3 70B",
    "Llama 4 Scout",
    "Llama 4 Maverick",
    "Llama Guard",
]

QUESTIONS = [
    dict(
        key="builds_with_llama",
        kind=QuestionKind.YES_NO,
        required=True,
        label="Are you building your product with Llama models?",
    ),
    dict(
        key="product_summary",
        kind=QuestionKind.LONG_TEXT,
        required=True,
        max_length=3000,
        label="What are you building with generative AI?",
        help_text="The problem, who has it, and how your product uses Llama. 3,000 characters at most.",
    ),
    dict(
        key="llama_models",
        kind=QuestionKind.MULTI_CHOICE,
        choices=LLAMA_MODELS,
        label="Which Llama models do you use or plan to use?",
    ),
    dict(
        key="use_case",
        kind=QuestionKind.CHOICE,
        required=True,
        choices=["Assistant or chat", "Code", "Search and retrieval", "Agents", "Vision", "Other"],
        label="Main use case",
    ),
    dict(
        key="monthly_active_users",
        kind=QuestionKind.NUMBER,
        min_value=Decimal(0),
        label="Monthly active users today",
        help_text="0 if you have not launched.",
    ),
    dict(key="launch_date", kind=QuestionKind.DATE, label="When did you (or will you) launch?"),
    dict(key="demo_url", kind=QuestionKind.URL, label="Link to a demo or your product"),
    dict(key="technical_contact", kind=QuestionKind.EMAIL, required=True, label="E-mail of your technical lead"),
    dict(key="pitch_deck", kind=QuestionKind.FILE, label="Pitch deck (PDF, PNG or JPEG, 10 MB at most)"),
]

RULES = [
    dict(
        field="startup.incorporation_country",
        operator=RuleOperator.EQUALS,
        value="US",
        failure_message="The program is open to startups incorporated in the United States.",
    ),
    dict(
        field="startup.total_funding_usd",
        operator=RuleOperator.LESS_THAN,
        value=10_000_000,
        failure_message="The program is for startups that have raised less than USD 10M in total.",
    ),
    dict(
        field="startup.developer_count",
        operator=RuleOperator.GREATER_OR_EQUAL,
        value=1,
        failure_message="You need at least one developer on staff.",
    ),
    dict(
        field="answer.builds_with_llama",
        operator=RuleOperator.IS_TRUE,
        value=None,
        failure_message="The program is for startups building generative-AI products with Llama models.",
    ),
]

CRITERIA = [
    dict(name="Team", weight=Decimal("1.0"), guidance="Can this team build and ship? Technical depth on staff."),
    dict(
        name="Product and use of Llama",
        weight=Decimal("1.5"),
        guidance="Is Llama central to the product, and used well (fine-tuning, RAG, agents, on-device)?",
    ),
    dict(name="Market", weight=Decimal("1.0"), guidance="Is there a real, reachable market?"),
    dict(name="Traction", weight=Decimal("0.5"), guidance="Users, revenue, pilots, or a credible path to them."),
]


def seed_program() -> Program:
    program, _ = Program.objects.update_or_create(
        slug="llama-for-startups",
        defaults=dict(
            name="Llama for Startups",
            summary="Meta's program for US startups building generative-AI products with Llama.",
            description=(
                "Llama for Startups supports early-stage US companies building generative-AI products with "
                "Llama models. Selected startups get direct support from Meta's Llama team and funding to "
                "offset the cost of building."
            ),
            eligibility_summary=(
                "US-incorporated startups that have raised less than USD 10M in total, with at least one "
                "developer on staff, building generative-AI products with Llama models."
            ),
            website="https://www.llama.com/",
            reviewers_per_application=3,
        ),
    )
    for order, rule in enumerate(RULES):
        EligibilityRule.objects.update_or_create(
            program=program, field=rule["field"], defaults={**rule, "order": order, "severity": RuleSeverity.HARD}
        )
    for order, criterion in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            program=program, name=criterion["name"], defaults={**criterion, "order": order}
        )
    Benefit.objects.update_or_create(
        program=program,
        name="Monthly funding",
        defaults=dict(
            kind=BenefitKind.MONTHLY_STIPEND,
            amount=Decimal("6000"),
            currency="USD",
            months=6,
            order=0,
            description="Up to USD 6,000 a month for up to six months to offset the cost of building.",
        ),
    )
    Benefit.objects.update_or_create(
        program=program,
        name="Direct support from the Llama team",
        defaults=dict(kind=BenefitKind.SUPPORT, order=1, description="Technical guidance from Meta's Llama engineers."),
    )
    return program


def seed_open_cohort(program: Program) -> Cohort:
    """The open round. Its dates are set once, when first created, so reseeding changes nothing."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    cohort, _ = Cohort.objects.get_or_create(
        program=program,
        slug="open-round",
        defaults=dict(
            name=f"{today:%B %Y} round",
            opens_at=today - datetime.timedelta(days=14),
            closes_at=today + datetime.timedelta(days=45),
            decision_date=(today + datetime.timedelta(days=60)).date(),
            capacity=20,
        ),
    )
    for order, question in enumerate(QUESTIONS):
        Question.objects.update_or_create(cohort=cohort, key=question["key"], defaults={**question, "order": order})
    return cohort


def seed_membership(program: Program, user, role: ProgramRole) -> None:
    ProgramMembership.objects.get_or_create(program=program, user=user, role=role)
