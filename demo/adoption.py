"""Adoption for the demo: the catalog, and an earlier round whose accepted
startups have deployments, months of usage, roll-ups, check-ins and payments.
Idempotent: values are derived from names and dates, never drawn afresh."""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from adoption import services
from adoption.catalog import seed_catalog as seed_catalog_rows
from adoption.dates import month_start
from adoption.enums import DeploymentStage, DisbursementStatus
from adoption.models import AIModel, Deployment, Disbursement
from applicants.enums import ApplicationStatus, MemberRole
from applicants.models import Application, Startup, StartupMember
from applicants.services import application_transition, startup_create
from programs.models import Cohort, Program
from reviews.signals import offer_accepted

ACCEPTED_DAYS_AGO = 150
PATH = [DeploymentStage.PROTOTYPE, DeploymentStage.PILOT, DeploymentStage.PRODUCTION]

DEMO_ACCEPTED = [
    dict(
        name="Harbor Support AI",
        website="https://harbor-support.example",
        description="Customer-support agents for small online shops, on Llama 3.3 70B.",
        total_funding_usd=3_200_000,
        developer_count=7,
        deployments=[
            ("llama-3.3-70b", "cloud", "AWS Bedrock", DeploymentStage.PRODUCTION, "Support agent answering shoppers."),
            ("llama-3.1-8b", "self_hosted", "", DeploymentStage.PILOT, "Ticket triage and routing."),
            ("llama-guard", "self_hosted", "", DeploymentStage.PRODUCTION, "Moderating agent replies."),
        ],
        daily_tokens={"llama-3.3-70b": 9_000_000, "llama-3.1-8b": 2_500_000, "llama-guard": 1_200_000},
    ),
    dict(
        name="Pocket Tutor",
        website="https://pocket-tutor.example",
        description="An offline maths tutor on phones, with Llama 3.2 3B on-device.",
        total_funding_usd=750_000,
        developer_count=3,
        deployments=[
            ("llama-3.2-3b", "on_device", "", DeploymentStage.PILOT, "On-device tutoring."),
            ("llama-4-scout", "cloud", "Together AI", DeploymentStage.EXPLORING, "Reading photos of homework."),
        ],
        daily_tokens={"llama-3.2-3b": 600_000, "llama-4-scout": 150_000},
    ),
]


def seed_catalog() -> int:
    return seed_catalog_rows(AIModel)


def seed_earlier_round(program: Program) -> Cohort:
    """A round that closed months ago, so that its startups have a history. Dates are set once."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    cohort, _ = Cohort.objects.get_or_create(
        program=program,
        slug="earlier-round",
        defaults=dict(
            name=f"{today - datetime.timedelta(days=ACCEPTED_DAYS_AGO + 60):%B %Y} round",
            opens_at=today - datetime.timedelta(days=ACCEPTED_DAYS_AGO + 60),
            closes_at=today - datetime.timedelta(days=ACCEPTED_DAYS_AGO + 20),
            decision_date=(today - datetime.timedelta(days=ACCEPTED_DAYS_AGO)).date(),
            capacity=10,
        ),
    )
    return cohort


def seed_accepted_startup(*, spec: dict, owner: User, cohort: Cohort, members: list[User]) -> Startup:
    startup = Startup.objects.filter(name=spec["name"]).first()
    if startup is None:
        startup = startup_create(
            user=owner,
            name=spec["name"],
            website=spec["website"],
            description=spec["description"],
            incorporation_country="US",
            country="US",
            total_funding_usd=spec["total_funding_usd"],
            developer_count=spec["developer_count"],
        )
    for member in members:
        StartupMember.objects.get_or_create(startup=startup, user=member, defaults={"role": MemberRole.MEMBER})
    application, _ = Application.objects.get_or_create(startup=startup, cohort=cohort, defaults={"created_by": owner})
    if application.status == ApplicationStatus.DRAFT:
        decided_at = datetime.datetime.combine(cohort.decision_date, datetime.time(15), tzinfo=datetime.UTC)
        for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            application_transition(application=application, to_status=status, actor=owner)
        application_transition(
            application=application,
            to_status=ApplicationStatus.ACCEPTED,
            actor=None,
            reason="Strong use of Llama.",
            extra_fields={"decided_at": decided_at},
        )
        offer_accepted.send(sender=Application, application=application, actor=owner)
    seed_deployments(startup=startup, owner=owner, spec=spec, started_on=cohort.decision_date)
    seed_usage(startup=startup, spec=spec, since=cohort.decision_date)
    return startup


def seed_deployments(*, startup: Startup, owner: User, spec: dict, started_on: datetime.date) -> None:
    models = {model.slug: model for model in AIModel.objects.all()}
    for slug, environment, provider, target, use_case in spec["deployments"]:
        deployment = Deployment.objects.filter(startup=startup, model=models[slug], environment=environment).first()
        if deployment is not None:
            continue
        deployment = services.deployment_create(
            startup=startup,
            user=owner,
            model=models[slug],
            environment=environment,
            cloud_provider=provider,
            use_case=use_case,
            started_on=started_on,
        )
        for stage in PATH[: PATH.index(target) + 1] if target in PATH else []:
            services.deployment_change_stage(deployment=deployment, to_stage=stage, actor=owner)


def seed_usage(*, startup: Startup, spec: dict, since: datetime.date) -> None:
    """Daily usage from acceptance to yesterday, growing, with weekday rhythm."""
    yesterday = timezone.now().date() - datetime.timedelta(days=1)
    records = []
    for slug, base in spec["daily_tokens"].items():
        day, n = since, 0
        while day <= yesterday:
            noise = random.Random(f"{startup.name}/{slug}/{day}").uniform(0.85, 1.15)
            growth = 0.3 + 0.7 * min(1.0, n / 120)
            weekday = 0.6 if day.weekday() >= 5 else 1.0
            tokens = int(base * growth * weekday * noise)
            records.append(
                {
                    "model": slug,
                    "date": day.isoformat(),
                    "requests": max(1, tokens // 1500),
                    "input_tokens": tokens * 3 // 4,
                    "output_tokens": tokens // 4,
                }
            )
            day += datetime.timedelta(days=1)
            n += 1
    services.usage_import(startup=startup, records=records)


def seed_payments(*, program: Program, manager: User) -> None:
    """Months that have ended are paid; the one that just began is approved; later ones stay scheduled."""
    this_month = month_start(timezone.now().date())
    for payment in Disbursement.objects.filter(program=program, status=DisbursementStatus.SCHEDULED).order_by("month"):
        if payment.month < this_month:
            services.disbursement_approve(disbursement=payment, actor=manager)
            services.disbursement_mark_paid(disbursement=payment, actor=manager)
        elif payment.month == this_month:
            services.disbursement_approve(disbursement=payment, actor=manager)


def seed_checkins(*, startup: Startup, owner: User) -> None:
    """File the check-ins of months that have ended, once."""
    this_month = month_start(timezone.now().date())
    for checkin in startup.checkins.filter(submitted_at__isnull=True, month__lt=this_month):
        services.checkin_submit(
            checkin=checkin,
            user=owner,
            progress=f"{checkin.month:%B}: more customers on the Llama-based product; latency down.",
            blockers="GPU capacity at peak hours." if checkin.month.month % 2 else "",
            metrics={"monthly_active_users": 800 + 150 * checkin.month.month, "p95_latency_ms": 900},
        )


def seed_adoption(*, program: Program, manager: User, founder: User, owner_for) -> list[Startup]:
    """Everything above for the demo's program. ``owner_for(name)`` gives each startup's founder;
    ``founder`` (the demo's founder login) joins the first startup so it can see these pages."""
    seed_catalog()
    cohort = seed_earlier_round(program)
    startups = []
    for index, spec in enumerate(DEMO_ACCEPTED):
        owner = owner_for(spec["name"])
        members = [founder] if index == 0 and founder != owner else []
        startup = seed_accepted_startup(spec=spec, owner=owner, cohort=cohort, members=members)
        seed_checkins(startup=startup, owner=owner)
        startups.append(startup)
    seed_payments(program=program, manager=manager)
    return startups
