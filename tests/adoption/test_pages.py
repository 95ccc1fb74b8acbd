import csv
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from adoption import services
from adoption.enums import DeploymentStage, DisbursementStatus
from adoption.ingest import ingest
from adoption.models import ApiKey, Deployment, Disbursement, UsageRecord
from tests.adoption.conftest import make_accepted
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    BenefitFactory,
    CohortFactory,
    DeploymentFactory,
    MilestoneFactory,
    ProgramMembershipFactory,
    ReviewFactory,
    StartupFactory,
    StartupMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STARTUP_PAGES = [
    "startup-dashboard",
    "deployment-list",
    "apikey-list",
    "usage-upload",
    "checkin-list",
    "payment-list",
]


@pytest.fixture
def stipend_accepted():
    program = BenefitFactory(amount=Decimal("6000"), months=6).program
    return make_accepted(cohort=CohortFactory(program=program), decided_at=timezone.now() - datetime.timedelta(days=70))


def startup_url(name: str, accepted, **kwargs) -> str:
    return reverse(f"adoption:{name}", kwargs={"startup_pk": accepted.startup.pk, **kwargs})


def usage(startup, slug: str, days: int, start: int = 1) -> None:
    today = timezone.now().date()
    ingest(
        startup=startup,
        records=[
            {
                "model": slug,
                "date": str(today - datetime.timedelta(days=start + n)),
                "requests": n + 1,
                "input_tokens": 100,
                "output_tokens": 50,
            }
            for n in range(days)
        ],
    )


# --- Who may see a startup's pages ----------------------------------------------


@pytest.mark.parametrize("name", STARTUP_PAGES)
def test_startup_page_answers_a_member(client, accepted, name):
    client.force_login(accepted.owner)

    response = client.get(startup_url(name, accepted))

    assert response.status_code == 200


@pytest.mark.parametrize("name", STARTUP_PAGES)
def test_startup_page_is_404_for_a_stranger(client, accepted, stranger, name):
    client.force_login(stranger)

    response = client.get(startup_url(name, accepted))

    assert response.status_code == 404


@pytest.mark.parametrize("name", STARTUP_PAGES)
def test_startup_page_is_404_for_the_program_manager(client, accepted, manager, name):
    client.force_login(manager)

    response = client.get(startup_url(name, accepted))

    assert response.status_code == 404


@pytest.mark.parametrize("name", STARTUP_PAGES)
def test_startup_page_is_404_before_acceptance(client, name):
    application = ApplicationFactory()
    owner = StartupMemberFactory(startup=application.startup).user
    client.force_login(owner)

    response = client.get(reverse(f"adoption:{name}", kwargs={"startup_pk": application.startup.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("name", STARTUP_PAGES)
def test_startup_page_sends_anonymous_visitors_to_log_in(client, accepted, name):
    response = client.get(startup_url(name, accepted))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_checkin_page_answers_a_member_and_404s_a_stranger(client, accepted, stranger):
    checkin = accepted.application.checkins.first()
    url = startup_url("checkin-edit", accepted, pk=checkin.pk)
    client.force_login(accepted.owner)
    assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_another_startups_checkin_is_404(client, accepted, other_accepted):
    checkin = other_accepted.application.checkins.first()
    client.force_login(accepted.owner)

    response = client.get(startup_url("checkin-edit", accepted, pk=checkin.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["deployment-stage", "apikey-revoke", "milestone-achieved"])
def test_startup_actions_are_404_for_a_stranger(client, accepted, stranger, key_for, name):
    target = {
        "deployment-stage": lambda: DeploymentFactory(startup=accepted.startup).pk,
        "apikey-revoke": lambda: key_for(accepted.startup)[0].pk,
        "milestone-achieved": lambda: MilestoneFactory(startup=accepted.startup).pk,
    }[name]()
    client.force_login(stranger)

    response = client.post(startup_url(name, accepted, pk=target), {"stage": "prototype"})

    assert response.status_code == 404


# --- What a startup does on its pages -----------------------------------------------


def test_member_records_a_deployment(client, accepted, catalog):
    client.force_login(accepted.owner)

    response = client.post(
        startup_url("deployment-list", accepted),
        {
            "model": catalog["llama-3.3-70b"].pk,
            "environment": "cloud",
            "cloud_provider": "AWS Bedrock",
            "use_case": "Support agent",
            "started_on": "2026-01-05",
        },
    )

    assert response.status_code == 302
    assert Deployment.objects.get(startup=accepted.startup).cloud_provider == "AWS Bedrock"


def test_cloud_deployment_without_provider_is_a_form_error(client, accepted, catalog):
    client.force_login(accepted.owner)

    response = client.post(
        startup_url("deployment-list", accepted),
        {"model": catalog["llama-3.3-70b"].pk, "environment": "cloud", "use_case": "x", "started_on": "2026-01-05"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["cloud_provider"] == ["Name the cloud provider."]


def test_deployment_started_in_year_one_is_a_form_error(client, accepted, catalog):
    client.force_login(accepted.owner)

    response = client.post(
        startup_url("deployment-list", accepted),
        {
            "model": catalog["llama-3.3-70b"].pk,
            "environment": "self_hosted",
            "use_case": "x",
            "started_on": "0001-01-01",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["started_on"]
    assert not Deployment.objects.exists()


def test_member_moves_a_deployment_along_the_allowed_stages(client, accepted):
    deployment = DeploymentFactory(startup=accepted.startup)
    client.force_login(accepted.owner)

    client.post(startup_url("deployment-stage", accepted, pk=deployment.pk), {"stage": "prototype"})
    client.post(startup_url("deployment-stage", accepted, pk=deployment.pk), {"stage": "production"})

    deployment.refresh_from_db()
    assert deployment.stage == DeploymentStage.PROTOTYPE
    assert list(deployment.stage_changes.values_list("to_stage", flat=True)) == ["prototype"]


def test_reaching_production_records_the_day(accepted):
    deployment = DeploymentFactory(startup=accepted.startup)
    for stage in ("prototype", "pilot", "production"):
        services.deployment_change_stage(deployment=deployment, to_stage=stage, actor=None)

    assert deployment.production_since == timezone.now().date()


def test_new_key_is_shown_once_and_stored_hashed(client, accepted):
    client.force_login(accepted.owner)

    created = client.post(startup_url("apikey-list", accepted), {"name": "exporter"})
    listed = client.get(startup_url("apikey-list", accepted))

    key = created.context["new_key"]
    api_key = ApiKey.objects.get(startup=accepted.startup)
    assert key.startswith(api_key.prefix)
    assert key not in api_key.key_hash
    assert key.encode() in created.content
    assert key.encode() not in listed.content
    assert created["Cache-Control"] == "no-store"


def test_member_revokes_a_key(client, accepted, key_for):
    api_key, _ = key_for(accepted.startup)
    client.force_login(accepted.owner)

    client.post(startup_url("apikey-revoke", accepted, pk=api_key.pk))

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_csv_upload_stores_good_lines_and_reports_bad_ones_by_line(client, accepted, catalog):
    client.force_login(accepted.owner)
    content = "model,date,requests,input_tokens,output_tokens\nllama-3.1-8b,2026-01-02,5,10,20\nnope,2026-01-02,1,1,1\n"

    response = client.post(
        startup_url("usage-upload", accepted), {"file": SimpleUploadedFile("usage.csv", content.encode())}
    )

    assert response.status_code == 200
    assert UsageRecord.objects.get(startup=accepted.startup).requests == 5
    assert b"Line 3, model: Unknown model" in response.content


def test_csv_upload_without_header_is_a_form_error(client, accepted, catalog):
    client.force_login(accepted.owner)

    response = client.post(
        startup_url("usage-upload", accepted), {"file": SimpleUploadedFile("usage.csv", b"a,b\n1,2\n")}
    )

    assert "file" in response.context["form"].errors


def test_csv_upload_with_an_unreadable_line_is_a_form_error(client, accepted, catalog):
    client.force_login(accepted.owner)
    content = "model,date,requests,input_tokens,output_tokens\nllama-3.1-8b," + "x" * 140_000 + ",1,1,1\n"

    response = client.post(
        startup_url("usage-upload", accepted), {"file": SimpleUploadedFile("usage.csv", content.encode())}
    )

    assert response.status_code == 200
    assert "cannot be read as CSV" in str(response.context["form"].errors["file"])


def test_csv_upload_with_an_unreadable_header_is_a_form_error(client, accepted, catalog):
    client.force_login(accepted.owner)
    content = "model,date,requests,input_tokens," + "x" * 140_000 + "\n"

    response = client.post(
        startup_url("usage-upload", accepted), {"file": SimpleUploadedFile("usage.csv", content.encode())}
    )

    assert response.status_code == 200
    assert "cannot be read as CSV" in str(response.context["form"].errors["file"])


def test_member_files_a_checkin(client, stipend_accepted):
    checkin = stipend_accepted.application.checkins.order_by("month").first()
    client.force_login(stipend_accepted.owner)

    response = client.post(
        startup_url("checkin-edit", stipend_accepted, pk=checkin.pk),
        {"progress": "Pilot with two customers.", "blockers": "", "metrics": '{"mau": 120}'},
    )

    checkin.refresh_from_db()
    assert response.status_code == 302
    assert (checkin.metrics, checkin.submitted_by) == ({"mau": 120}, stipend_accepted.owner)


def test_member_adds_and_achieves_a_milestone(client, accepted):
    client.force_login(accepted.owner)

    client.post(startup_url("checkin-list", accepted), {"title": "First paying customer", "due_on": "2027-01-01"})
    milestone = accepted.startup.milestones.get()
    client.post(startup_url("milestone-achieved", accepted, pk=milestone.pk))

    milestone.refresh_from_db()
    assert milestone.achieved_on == timezone.now().date()


def test_startup_dashboard_shows_usage_per_model_in_the_chart(client, accepted, catalog):
    usage(accepted.startup, "llama-3.1-8b", 3)
    client.force_login(accepted.owner)

    response = client.get(startup_url("startup-dashboard", accepted))

    assert b'data-series="Llama 3.1 8B"' in response.content


# --- Query counts ------------------------------------------------------------------------

# session, user, startup (membership + acceptance), then the page's own queries
DASHBOARD_QUERIES = 5


@pytest.mark.parametrize("days", [1, 60])
def test_startup_dashboard_queries_do_not_grow_with_usage_rows(
    client, accepted, catalog, django_assert_num_queries, days
):
    usage(accepted.startup, "llama-3.1-8b", days)
    usage(accepted.startup, "llama-3.3-70b", days)
    DeploymentFactory(startup=accepted.startup)
    client.force_login(accepted.owner)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(startup_url("startup-dashboard", accepted))


@pytest.mark.parametrize("rows", [1, 3])
def test_deployment_list_query_count(client, accepted, django_assert_num_queries, rows):
    DeploymentFactory.create_batch(rows, startup=accepted.startup)
    client.force_login(accepted.owner)

    # session, user, startup, deployments, catalog for the form
    with django_assert_num_queries(5):
        response = client.get(startup_url("deployment-list", accepted))

    assert len(response.context["deployments"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_api_key_list_query_count(client, accepted, key_for, django_assert_num_queries, rows):
    for _ in range(rows):
        key_for(accepted.startup)
    client.force_login(accepted.owner)

    with django_assert_num_queries(4):
        response = client.get(startup_url("apikey-list", accepted))

    assert len(response.context["keys"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_checkin_list_query_count(client, accepted, django_assert_num_queries, rows):
    MilestoneFactory.create_batch(rows, startup=accepted.startup)
    client.force_login(accepted.owner)

    with django_assert_num_queries(5):
        response = client.get(startup_url("checkin-list", accepted))

    assert len(response.context["milestones"]) == rows


@pytest.mark.parametrize("programs", [1, 3])
def test_payment_list_query_count(client, django_assert_num_queries, programs):
    first = make_accepted(cohort=CohortFactory(program=BenefitFactory(months=2).program))
    for _ in range(programs - 1):
        application = ApplicationFactory(
            startup=first.startup, cohort=CohortFactory(program=BenefitFactory(months=2).program)
        )
        from tests.adoption.conftest import accept

        accept(application)
    client.force_login(first.owner)

    with django_assert_num_queries(5):
        response = client.get(startup_url("payment-list", first))

    assert len(response.context["payments"]) == 2 * programs


# --- A manager's pages ----------------------------------------------------------------------

MANAGER_PAGES = ["manager-dashboard", "manager-payments", "manager-payments-csv"]


def manager_url(name: str, program) -> str:
    return reverse(f"adoption:{name}", kwargs={"slug": program.slug})


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_answers_the_programs_manager(client, accepted, manager, name):
    client.force_login(manager)

    response = client.get(manager_url(name, accepted.program))

    assert response.status_code == 200


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_answers_staff(client, accepted, name):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(manager_url(name, accepted.program))

    assert response.status_code == 200


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_is_404_for_another_programs_manager(client, accepted, other_accepted, name):
    other_manager = ProgramMembershipFactory(program=other_accepted.program, role="manager").user
    client.force_login(other_manager)

    response = client.get(manager_url(name, accepted.program))

    assert response.status_code == 404


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_is_404_for_a_reviewer_and_a_founder(client, accepted, name):
    reviewer = ProgramMembershipFactory(program=accepted.program, role="reviewer").user
    for user in (reviewer, accepted.owner):
        client.force_login(user)

        response = client.get(manager_url(name, accepted.program))

        assert response.status_code == 404


def test_payment_action_is_404_for_another_programs_manager(client, stipend_accepted, other_accepted):
    payment = Disbursement.objects.filter(program=stipend_accepted.program).first()
    other_manager = ProgramMembershipFactory(program=other_accepted.program, role="manager").user
    client.force_login(other_manager)

    response = client.post(
        reverse(
            "adoption:manager-payment-action",
            kwargs={"slug": stipend_accepted.program.slug, "pk": payment.pk, "action": "approve"},
        )
    )

    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.SCHEDULED


def test_manager_approves_then_pays(client, stipend_accepted):
    manager = ProgramMembershipFactory(program=stipend_accepted.program, role="manager").user
    payment = Disbursement.objects.filter(program=stipend_accepted.program).order_by("sequence").first()
    client.force_login(manager)
    kwargs = {"slug": stipend_accepted.program.slug, "pk": payment.pk}

    client.post(reverse("adoption:manager-payment-action", kwargs={**kwargs, "action": "approve"}))
    client.post(reverse("adoption:manager-payment-action", kwargs={**kwargs, "action": "pay"}))

    payment.refresh_from_db()
    assert (payment.status, payment.paid_by) == (DisbursementStatus.PAID, manager)


def test_payment_action_with_a_next_that_is_not_a_path_returns_to_the_payments(client, stipend_accepted):
    manager = ProgramMembershipFactory(program=stipend_accepted.program, role="manager").user
    payment = Disbursement.objects.filter(program=stipend_accepted.program).first()
    client.force_login(manager)
    kwargs = {"slug": stipend_accepted.program.slug, "pk": payment.pk, "action": "approve"}

    response = client.post(reverse("adoption:manager-payment-action", kwargs=kwargs), {"next": "NaN"})

    assert response.url == reverse("adoption:manager-payments", kwargs={"slug": stipend_accepted.program.slug})


def test_held_payment_shows_held_and_cannot_be_approved(client, stipend_accepted):
    stipend_accepted.program.hold_payments_without_usage = True
    stipend_accepted.program.save()
    manager = ProgramMembershipFactory(program=stipend_accepted.program, role="manager").user
    payment = Disbursement.objects.filter(program=stipend_accepted.program).order_by("sequence").first()
    client.force_login(manager)

    page = client.get(manager_url("manager-payments", stipend_accepted.program))
    client.post(
        reverse(
            "adoption:manager-payment-action",
            kwargs={"slug": stipend_accepted.program.slug, "pk": payment.pk, "action": "approve"},
        )
    )

    payment.refresh_from_db()
    assert b"Held: no usage" in page.content
    assert payment.status == DisbursementStatus.SCHEDULED


def test_payments_csv_lists_the_schedule(client, stipend_accepted):
    manager = ProgramMembershipFactory(program=stipend_accepted.program, role="manager").user
    client.force_login(manager)

    response = client.get(manager_url("manager-payments-csv", stipend_accepted.program))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("startup,month,benefit,amount")
    assert len(lines) == 7
    assert ",6000.00,USD,scheduled," in lines[1]


def test_payments_csv_neutralises_a_startup_name_that_is_a_formula(client):
    program = BenefitFactory(amount=Decimal("6000"), months=1).program
    startup = StartupFactory(name='=HYPERLINK("https://evil.example","x")')
    accepted = make_accepted(cohort=CohortFactory(program=program), startup=startup)
    client.force_login(ProgramMembershipFactory(program=accepted.program, role="manager").user)

    response = client.get(manager_url("manager-payments-csv", accepted.program))

    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows[1][0] == """'=HYPERLINK("https://evil.example","x")"""


@pytest.mark.parametrize("startups", [1, 3])
def test_manager_payments_query_count(client, django_assert_num_queries, startups):
    program = BenefitFactory(months=2).program
    for _ in range(startups):
        make_accepted(cohort=CohortFactory(program=program))
    manager = ProgramMembershipFactory(program=program, role="manager").user
    client.force_login(manager)

    # session, user, program, the page, totals, totals per startup
    with django_assert_num_queries(6):
        response = client.get(manager_url("manager-payments", program))

    assert len(response.context["payments"]) == 2 * startups


@pytest.mark.parametrize(("startups", "days"), [(1, 1), (3, 40)])
def test_manager_dashboard_queries_do_not_grow_with_startups_or_usage(
    client, catalog, django_assert_num_queries, startups, days
):
    program = BenefitFactory(months=2).program
    for _ in range(startups):
        accepted = make_accepted(cohort=CohortFactory(program=program))
        usage(accepted.startup, "llama-3.1-8b", days)
        DeploymentFactory(startup=accepted.startup)
    manager = ProgramMembershipFactory(program=program, role="manager").user
    client.force_login(manager)

    # session, user, program, accepted applications, active months, tokens per model, review scores
    with django_assert_num_queries(7):
        response = client.get(manager_url("manager-dashboard", program))

    assert response.context["data"].accepted == startups


def test_manager_dashboard_plots_review_score_against_adoption(client, catalog):
    program = BenefitFactory(months=2).program
    accepted = make_accepted(cohort=CohortFactory(program=program))
    usage(accepted.startup, "llama-3.1-8b", 3)
    manager = ProgramMembershipFactory(program=program, role="manager").user
    for value in (3, 5):
        # Reviews submitted before the acceptance, as the review flow leaves them.
        ReviewFactory(
            assignment=AssignmentFactory(application=accepted.application),
            weighted_score=Decimal(value),
            recommendation="yes",
            submitted_at=timezone.now(),
        )
    client.force_login(manager)

    response = client.get(manager_url("manager-dashboard", program))

    assert [startup.score for startup in response.context["data"].startups] == [4.0]


def test_manager_dashboard_funnel_counts_deployed_and_production(client, catalog):
    program = BenefitFactory(months=2).program
    first, second, _ = (make_accepted(cohort=CohortFactory(program=program)) for _ in range(3))
    DeploymentFactory(startup=first.startup)
    live = DeploymentFactory(startup=second.startup)
    for stage in ("prototype", "pilot", "production"):
        services.deployment_change_stage(deployment=live, to_stage=stage, actor=None)
    client.force_login(UserFactory(is_staff=True))

    data = client.get(manager_url("manager-dashboard", program)).context["data"]

    assert (data.accepted, data.deployed, data.in_production) == (3, 2, 1)


# --- Index and nav ---------------------------------------------------------------------------


def test_nav_links_adoption_for_an_accepted_founder(client, accepted):
    client.force_login(accepted.owner)

    response = client.get("/")

    assert reverse("adoption:index").encode() in response.content


def test_nav_hides_adoption_from_a_user_with_nothing_there(client, stranger):
    client.force_login(stranger)

    response = client.get("/")

    assert reverse("adoption:index").encode() not in response.content


def test_index_lists_accepted_startups_and_managed_programs(client, accepted, manager):
    ProgramMembershipFactory(program=accepted.program, user=accepted.owner, role="manager")
    client.force_login(accepted.owner)

    response = client.get(reverse("adoption:index"))

    assert list(response.context["startups"]) == [accepted.startup]
    assert list(response.context["programs"]) == [accepted.program]


@pytest.mark.parametrize("startups", [1, 3])
def test_index_query_count(client, django_assert_num_queries, startups):
    owner = make_accepted().owner
    for _ in range(startups - 1):
        other = make_accepted()
        StartupMemberFactory(startup=other.startup, user=owner)
    client.force_login(owner)

    # session, user, nav flags (two), startups, programs
    with django_assert_num_queries(6):
        response = client.get(reverse("adoption:index"))

    assert len(response.context["startups"]) == startups
