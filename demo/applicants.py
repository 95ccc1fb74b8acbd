"""Demo startups and their applications, at every stage the intake reaches. Idempotent."""

from accounts.models import User
from applicants import services
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup, StartupMember
from programs.models import Cohort

DEMO_STARTUPS = [
    dict(
        name="Acme Vision",
        website="https://acme-vision.example",
        incorporation_country="US",
        country="US",
        total_funding_usd=2_500_000,
        developer_count=4,
        description="Visual inspection for small factories, on Llama 3.2 Vision.",
        target=ApplicationStatus.DRAFT,
    ),
    dict(
        name="Ledgerly",
        website="https://ledgerly.example",
        incorporation_country="US",
        country="US",
        total_funding_usd=6_000_000,
        developer_count=9,
        description="An accounting copilot for freelancers, fine-tuned Llama 3.1 8B.",
        target=ApplicationStatus.SUBMITTED,
    ),
    dict(
        name="Tidewater Health",
        website="https://tidewater.example",
        incorporation_country="US",
        country="US",
        total_funding_usd=900_000,
        developer_count=3,
        description="Clinical note summaries with Llama 3.3 70B, self-hosted.",
        target=ApplicationStatus.SUBMITTED,
    ),
    dict(
        name="Northwind Robotics",
        website="https://northwind.example",
        incorporation_country="CA",
        country="CA",
        total_funding_usd=3_000_000,
        developer_count=6,
        description="On-device planning for warehouse robots with Llama 3.2 3B.",
        target=ApplicationStatus.INELIGIBLE,
    ),
    dict(
        name="Quill Legal",
        website="https://quill.example",
        incorporation_country="US",
        country="US",
        total_funding_usd=1_200_000,
        developer_count=2,
        description="Contract review agents on Llama 4 Scout.",
        target=ApplicationStatus.WITHDRAWN,
    ),
]

ANSWERS = {
    "builds_with_llama": True,
    "product_summary": "We help teams do their work faster with a product built on Llama.",
    "llama_models": ["Llama 3.1 8B", "Llama 3.3 70B"],
    "use_case": "Assistant or chat",
    "monthly_active_users": 1200,
    "launch_date": "2026-03-01",
    "demo_url": "https://example.com/demo",
}


def founder_email(startup_name: str) -> str:
    return f"founder@{startup_name.lower().replace(' ', '-')}.example"


def seed_startup(*, spec: dict, owner: User) -> Startup:
    startup = Startup.objects.filter(name=spec["name"]).first()
    if startup is None:
        fields = {key: value for key, value in spec.items() if key != "target"}
        startup = services.startup_create(user=owner, **fields)
    StartupMember.objects.get_or_create(startup=startup, user=owner, defaults={"role": "owner"})
    return startup


def seed_application(*, startup: Startup, cohort: Cohort, owner: User, target: str) -> Application:
    """Drive the application through the real write path up to ``target``, once."""
    application = Application.objects.filter(startup=startup, cohort=cohort).first()
    if application is not None:
        return application
    application = services.application_create(startup=startup, cohort=cohort, user=owner)
    services.application_save_answers(application=application, answers={**ANSWERS, "technical_contact": owner.email})
    if target == ApplicationStatus.DRAFT:
        return application
    services.application_submit(application=application, user=owner)
    if target == ApplicationStatus.WITHDRAWN:
        services.application_withdraw(application=application, user=owner, reason="We joined another program.")
    return application
