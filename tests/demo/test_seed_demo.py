import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "programs", "applicants", "reviews", "notifications", "adoption"}
    }


def test_seed_demo_twice_creates_nothing_the_second_time():
    call_command("seed_demo", verbosity=0)
    first = row_counts()

    call_command("seed_demo", verbosity=0)

    assert row_counts() == first


def test_seed_demo_creates_one_account_per_role():
    from accounts.models import User

    call_command("seed_demo", verbosity=0)

    emails = set(User.objects.values_list("email", flat=True))
    assert {"admin@runway.local", "manager@runway.local", "reviewer@runway.local", "founder@runway.local"} <= emails
    assert User.objects.get(email="admin@runway.local").is_superuser


def test_seed_demo_opens_a_llama_round():
    from programs.models import Program

    call_command("seed_demo", verbosity=0)

    program = Program.objects.get(slug="llama-for-startups")
    assert [cohort.is_open() for cohort in program.cohorts.order_by("-opens_at")][:1] == [True]
    assert program.eligibility_rules.count() == 4


def test_seed_demo_gives_accepted_startups_usage_rollups_and_payments():
    from adoption.models import Deployment, Disbursement, UsageMonthly, UsageRecord

    call_command("seed_demo", verbosity=0)

    assert UsageRecord.objects.exists()
    assert UsageMonthly.objects.count() >= 4
    assert Deployment.objects.filter(production_since__isnull=False).exists()
    assert set(Disbursement.objects.values_list("status", flat=True)) >= {"paid", "scheduled"}
