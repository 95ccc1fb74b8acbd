"""Seed the Llama for Startups demo. Running it again creates nothing new."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from accounts.models import User
from demo import adoption as adoption_demo
from demo import applicants as applicants_demo
from demo import programs as programs_demo
from demo import reviews as reviews_demo
from notifications.services import templates_seed_defaults
from programs.enums import ProgramRole

DEMO_PASSWORD = "runway-demo"
ACCOUNTS = [
    ("admin@runway.local", "Ada Admin", "admin"),
    ("manager@runway.local", "Maya Manager", "program manager"),
    ("reviewer@runway.local", "Rui Reviewer", "reviewer"),
    ("founder@runway.local", "Fatima Founder", "startup founder"),
]
EXTRA_REVIEWERS = [("reviewer2@runway.local", "Rosa Reviewer"), ("reviewer3@runway.local", "Raj Reviewer")]


def ensure_user(email: str, full_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


class Command(BaseCommand):
    help = "Seed the Llama for Startups demo: program, open round, accounts for every role, startups."

    def handle(self, *args, **options) -> None:
        steps = [
            ("e-mail templates", templates_seed_defaults),
            ("accounts", self.seed_accounts),
            ("program", self.seed_program),
            ("startups", self.seed_startups),
            ("reviews", self.seed_reviews),
            ("adoption", self.seed_adoption),
        ]
        with tqdm(total=len(steps), desc="Seeding demo", unit="step", disable=options["verbosity"] == 0) as bar:
            for name, step in steps:
                bar.set_postfix_str(name)
                with transaction.atomic():
                    step()
                bar.update()
        self.print_logins()

    def seed_accounts(self) -> None:
        self.users = {
            role: ensure_user(email, full_name, superuser=(role == "admin")) for email, full_name, role in ACCOUNTS
        }
        self.extra_reviewers = [ensure_user(email, full_name) for email, full_name in EXTRA_REVIEWERS]

    def seed_program(self) -> None:
        self.program = programs_demo.seed_program()
        self.cohort = programs_demo.seed_open_cohort(self.program)
        programs_demo.seed_membership(self.program, self.users["program manager"], ProgramRole.MANAGER)
        for reviewer in [self.users["reviewer"], *self.extra_reviewers]:
            programs_demo.seed_membership(self.program, reviewer, ProgramRole.REVIEWER)

    def seed_startups(self) -> None:
        for index, spec in enumerate(applicants_demo.DEMO_STARTUPS):
            owner = (
                self.users["startup founder"]
                if index == 0
                else ensure_user(applicants_demo.founder_email(spec["name"]), f"Founder of {spec['name']}")
            )
            startup = applicants_demo.seed_startup(spec=spec, owner=owner)
            applicants_demo.seed_application(startup=startup, cohort=self.cohort, owner=owner, target=spec["target"])

    def seed_reviews(self) -> None:
        reviews_demo.seed_reviews(cohort=self.cohort, manager=self.users["program manager"])

    def seed_adoption(self) -> None:
        adoption_demo.seed_adoption(
            program=self.program,
            manager=self.users["program manager"],
            founder=self.users["startup founder"],
            owner_for=lambda name: ensure_user(applicants_demo.founder_email(name), f"Founder of {name}"),
        )

    def print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nDemo ready. Log in with any of these (password: {DEMO_PASSWORD}):"))
        for email, _, role in ACCOUNTS:
            self.stdout.write(f"  {role:<16} {email}")
