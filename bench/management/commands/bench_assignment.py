"""Time the assignment of a large round: ``manage.py bench_assignment --applications 10000 --reviewers 300``.

Builds a throwaway program with startups, founders, reviewers at shared firms
and some conflicts, previews and runs the assignment, checks the result and
prints the times and the load spread. Everything is rolled back at the end
unless ``--keep`` is given.
"""

import datetime
import json
import random
import time
import uuid
from collections import Counter
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup, StartupMember
from programs.enums import ProgramRole
from programs.models import Cohort, Program, ProgramMembership
from reviews.conflicts import conflict_pairs
from reviews.enums import ConflictSource
from reviews.models import Assignment, ConflictOfInterest
from reviews.services.assignment import assignment_preview, assignment_run


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the reviewer assignment on a generated round (rolled back unless --keep)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--applications", type=int, default=10_000)
        parser.add_argument("--reviewers", type=int, default=300)
        parser.add_argument("--per-application", type=int, default=3)
        parser.add_argument(
            "--conflict-rate", type=float, default=0.05, help="Share of startups with a conflicted member."
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--keep", action="store_true", help="Keep the generated data.")
        parser.add_argument("--json", help="Also write the figures to this file, for make bench.")

    def handle(self, *args, **options) -> None:
        if options["applications"] < 1 or options["reviewers"] < options["per_application"]:
            raise CommandError("Give at least one application and at least as many reviewers as per application.")
        self.rng = random.Random(options["seed"])
        self.quiet = options["verbosity"] == 0
        try:
            with transaction.atomic():
                self.run(options)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Generated data rolled back.")
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(self.figures, indent=2))

    def run(self, options: dict) -> None:
        started = time.perf_counter()
        cohort = self.build(options)
        built = time.perf_counter()
        self.stdout.write(f"Built the round in {built - started:.1f} s.")

        plan_floor = self.read_inputs(cohort)
        planning = time.perf_counter()
        plan = assignment_preview(cohort=cohort)
        plan_seconds = time.perf_counter() - planning
        self.stdout.write(f"Preview: {len(plan.new)} assignments planned in {plan_seconds:.2f} s.")
        run_floor = self.write_rows(cohort, plan.new)

        previewed = time.perf_counter()
        assignment_run(cohort=cohort, actor=None)
        ran = time.perf_counter()
        self.figures = [
            {
                "id": "assignment.plan",
                "name": "assignment preview (plan)",
                "value": plan_seconds,
                "unit": "s",
                "floor_name": "read the plan's inputs by values_list",
                "floor_value": plan_floor,
            },
            {
                "id": "assignment.run",
                "name": "assignment run (write + move into review)",
                "value": ran - previewed,
                "unit": "s",
                "floor_name": "bulk_create the rows + one UPDATE",
                "floor_value": run_floor,
            },
        ]
        self.stdout.write(
            f"Run: {Assignment.objects.filter(application__cohort=cohort).count()} assignments written "
            f"and applications moved into review in {ran - previewed:.1f} s."
        )

        again = assignment_run(cohort=cohort, actor=None)
        self.stdout.write(
            f"Re-run: {len(again.new)} new assignments in {time.perf_counter() - ran:.2f} s (expected 0)."
        )
        self.report(cohort, options["per_application"])

    def report(self, cohort: Cohort, per_application: int) -> None:
        rows = list(Assignment.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
        loads = Counter(reviewer_id for _, reviewer_id in rows)
        per_app = Counter(application_id for application_id, _ in rows)
        reviewers = list(User.objects.filter(program_memberships__program=cohort.program_id))
        startup_of = dict(cohort.applications.values_list("id", "startup_id"))
        conflicts = conflict_pairs(reviewers=reviewers, startup_ids=sorted(set(startup_of.values())))
        violations = sum((reviewer_id, startup_of[application_id]) in conflicts for application_id, reviewer_id in rows)
        short = sum(1 for application_id in startup_of if per_app[application_id] < per_application)
        low, high = min(loads.values(), default=0), max(loads.values(), default=0)
        self.figures.append(
            {
                "id": "assignment.spread",
                "name": "assignment load spread (max - min)",
                "value": high - low,
                "unit": "reviews",
                # Whole reviews cannot always split evenly: 1 is the best a round can promise.
                "floor_name": "an even split, to one review",
                "floor_value": 1,
                "notes": {"assigned_despite_conflict": violations, "short_of_reviewers": short},
            }
        )
        self.stdout.write(
            f"Loads: min {low}, max {high}, spread {high - low} over {len(loads)} reviewers. "
            f"Conflicted pairs known: {len(conflicts)}; assigned despite a conflict: {violations}. "
            f"Applications short of {per_application} reviewers: {short}."
        )

    def read_inputs(self, cohort: Cohort) -> float:
        """Seconds to read what a plan needs, by plain values_list: the floor under the preview."""
        started = time.perf_counter()
        list(cohort.applications.filter(status=ApplicationStatus.SUBMITTED).values_list("id", "startup_id"))
        list(ProgramMembership.objects.filter(program=cohort.program_id).values_list("user_id", "role"))
        members = StartupMember.objects.filter(startup__applications__cohort=cohort)
        list(members.values_list("startup_id", "user__email"))
        list(ConflictOfInterest.objects.values_list("reviewer_id", "startup_id"))
        list(Assignment.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
        return time.perf_counter() - started

    def write_rows(self, cohort: Cohort, pairs: list[tuple[int, int]]) -> float:
        """Seconds to write the planned rows with bulk_create and move the round
        with one UPDATE, rolled back: the floor under the run."""
        due = timezone.now() + datetime.timedelta(days=14)
        savepoint = transaction.savepoint()
        started = time.perf_counter()
        Assignment.objects.bulk_create(
            [Assignment(application_id=app, reviewer_id=reviewer, due_at=due) for app, reviewer in pairs],
            batch_size=5000,
        )
        cohort.applications.filter(status=ApplicationStatus.SUBMITTED).update(status=ApplicationStatus.IN_REVIEW)
        elapsed = time.perf_counter() - started
        transaction.savepoint_rollback(savepoint)
        return elapsed

    def build(self, options: dict) -> Cohort:
        tag = uuid.uuid4().hex[:8]
        self.unusable = make_password(None)  # nobody logs in as generated users
        applications, reviewers = options["applications"], options["reviewers"]
        bar = tqdm(total=6, desc="Building", unit="step", disable=self.quiet)
        program = Program.objects.create(
            name=f"Bench {tag}",
            slug=f"bench-{tag}",
            summary="Assignment benchmark",
            reviewers_per_application=options["per_application"],
            is_published=False,
        )
        now = timezone.now()
        cohort = Cohort.objects.create(
            program=program,
            name="Bench round",
            slug="bench",
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now - datetime.timedelta(days=1),
            capacity=max(1, applications // 10),
        )
        bar.update()
        # Reviewers work at a few dozen firms, so one conflicted domain hits several of them.
        firms = [f"firm{index}-{tag}.test" for index in range(max(1, reviewers // 5))]
        team = User.objects.bulk_create(
            [
                User(
                    email=f"reviewer{index}@{firms[index % len(firms)]}",
                    full_name=f"Reviewer {index}",
                    password=self.unusable,
                )
                for index in range(reviewers)
            ],
            batch_size=5000,
        )
        ProgramMembership.objects.bulk_create(
            [ProgramMembership(program=program, user=user, role=ProgramRole.REVIEWER) for user in team], batch_size=5000
        )
        bar.update()
        startups = Startup.objects.bulk_create(
            [
                Startup(
                    name=f"Bench startup {index}",
                    incorporation_country="US",
                    total_funding_usd=1_000_000,
                    developer_count=2,
                )
                for index in range(applications)
            ],
            batch_size=5000,
        )
        founders = User.objects.bulk_create(
            [
                User(email=f"founder{index}@startup{index}-{tag}.test", password=self.unusable)
                for index in range(applications)
            ],
            batch_size=5000,
        )
        bar.update()
        members = [
            StartupMember(startup=startup, user=founder) for startup, founder in zip(startups, founders, strict=True)
        ]
        conflicted = self.rng.sample(startups, k=int(len(startups) * options["conflict_rate"]))
        colleagues = User.objects.bulk_create(
            [
                User(email=f"advisor{index}@{self.rng.choice(firms)}", password=self.unusable)
                for index in range(len(conflicted) // 2)
            ],
            batch_size=5000,
        )
        members += [
            StartupMember(startup=startup, user=colleague)
            for startup, colleague in zip(conflicted, colleagues, strict=False)
        ]
        StartupMember.objects.bulk_create(members, batch_size=5000)
        ConflictOfInterest.objects.bulk_create(
            [
                ConflictOfInterest(reviewer=self.rng.choice(team), startup=startup, source=ConflictSource.DECLARED)
                for startup in conflicted[len(colleagues) :]
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        bar.update()
        # Benchmark fixtures, not a flow: the applications are created already
        # submitted so that the timing covers the assignment alone (which then
        # moves each of them into review through application_transition).
        Application.objects.bulk_create(
            [
                Application(
                    startup=startup,
                    cohort=cohort,
                    status=ApplicationStatus.SUBMITTED,
                    submitted_at=now - datetime.timedelta(seconds=index),
                )
                for index, startup in enumerate(startups)
            ],
            batch_size=5000,
        )
        bar.update(2)
        bar.close()
        return Cohort.objects.select_related("program").get(pk=cohort.pk)
