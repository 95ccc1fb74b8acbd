import datetime

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from adoption import services
from adoption.catalog import seed_catalog
from adoption.models import AIModel
from tests.adoption.conftest import make_accepted
from tests.factories import BenefitFactory, CohortFactory, DeploymentFactory, ProgramMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_accepted_startup_creates_a_key_posts_usage_and_sees_it_charted(page, live_server, log_in, screenshot):
    seed_catalog(AIModel)
    program = BenefitFactory(program__name="Llama for Startups").program
    accepted = make_accepted(cohort=CohortFactory(program=program))
    DeploymentFactory(startup=accepted.startup, model=AIModel.objects.get(slug="llama-3.1-8b"))
    log_in(accepted.owner.email)

    page.get_by_role("link", name="Adoption").click()
    page.get_by_role("link", name=accepted.startup.name).click()
    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name").fill("exporter")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text().strip()
    today = timezone.now().date()
    records = [
        {
            "model": slug,
            "date": (today - datetime.timedelta(days=days)).isoformat(),
            "requests": 100 + days,
            "input_tokens": 40_000 * (i + 1) + 900 * days,
            "output_tokens": 12_000 * (i + 1),
        }
        for i, slug in enumerate(["llama-3.1-8b", "llama-3.3-70b"])
        for days in range(1, 95)
    ]
    response = requests.post(
        f"{live_server.url}/api/v1/usage/", json=records, headers={"Authorization": f"Api-Key {key}"}, timeout=30
    )
    page.get_by_role("link", name="Dashboard").click()

    assert response.status_code == 200
    assert response.json()["stored"] == len(records)
    chart = page.locator('[data-chart="usage-per-model"]')
    months = len({record["date"][:7] for record in records})
    expect(chart.locator('[data-series="Llama 3.1 8B"] circle')).to_have_count(months)
    expect(chart.locator('[data-series="Llama 3.3 70B"] circle')).to_have_count(months)
    expect(chart.locator("figcaption")).to_contain_text("Llama 3.3 70B")
    screenshot("adoption-dashboard")


def test_manager_sees_the_programs_adoption_dashboard(page, live_server, log_in, screenshot):
    seed_catalog(AIModel)
    program = BenefitFactory(program__name="Llama for Startups").program
    manager = ProgramMembershipFactory(program=program, role="manager").user
    today = timezone.now().date()
    for index in range(3):
        accepted = make_accepted(cohort=CohortFactory(program=program))
        deployment = DeploymentFactory(startup=accepted.startup, model=AIModel.objects.get(slug="llama-3.3-70b"))
        for stage in ("prototype", "pilot", "production")[: index + 1]:
            services.deployment_change_stage(deployment=deployment, to_stage=stage, actor=None)
        services.usage_ingest(
            startup=accepted.startup,
            records=[
                {
                    "model": slug,
                    "date": (today - datetime.timedelta(days=days)).isoformat(),
                    "requests": 10,
                    "input_tokens": 50_000 * (index + 1),
                    "output_tokens": 9_000,
                }
                for slug in ["llama-3.3-70b", "llama-3.1-8b"][: index + 1]
                for days in range(1, 30 * (index + 1))
            ],
        )
    log_in(manager.email)

    page.get_by_role("link", name="Adoption").click()
    page.get_by_role("link", name="adoption dashboard").click()

    funnel = page.locator('[data-chart="funnel"]')
    expect(funnel.locator("rect")).to_have_count(3)
    expect(page.locator('[data-chart="tokens-per-model"] rect')).to_have_count(2)
    screenshot("adoption-manager-dashboard")
