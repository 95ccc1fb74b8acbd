"""The whole journey in Chromium, on the real Llama for Startups program:
a founder applies, a reviewer scores, a manager accepts, the founder takes up
the offer, reports usage with an API key and sees it charted, and the manager
sees the payment schedule. The screenshots it saves are the README's."""

import datetime
import re

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from adoption.catalog import seed_catalog
from adoption.models import AIModel, Disbursement
from applicants.enums import ApplicationStatus
from applicants.models import Application
from demo import programs as programs_demo
from programs.enums import ProgramRole
from tests.factories import ProgramMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "journey-pass-phrase-7"


def switch_to(page, log_in, email: str, password: str = "pass-word-123") -> None:
    page.context.clear_cookies()
    log_in(email, password)


def test_from_sign_up_to_the_adoption_chart(page, live_server, log_in, screenshot, confirm_sign_up):
    seed_catalog(AIModel)
    program = programs_demo.seed_program()
    cohort = programs_demo.seed_open_cohort(program)
    manager = UserFactory(email="maya@llama-team.example", full_name="Maya Manager")
    reviewer = UserFactory(email="rui@review-firm.example", full_name="Rui Reviewer")
    ProgramMembershipFactory(program=program, user=manager, role=ProgramRole.MANAGER)
    ProgramMembershipFactory(program=program, user=reviewer, role=ProgramRole.REVIEWER)

    # The founder finds the program, signs up, describes the startup and applies.
    page.goto(f"{live_server.url}/")
    screenshot("journey-1-programs")
    page.get_by_role("link", name="Llama for Startups").first.click()
    page.get_by_role("link", name=f"Apply to {cohort.name}").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").fill("fatima@acme-vision.example")
    page.get_by_label("Your name").fill("Fatima Founder")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirm_sign_up()
    page.locator("#id_name").fill("Acme Vision")
    page.get_by_label("Country of incorporation").select_option("US")
    page.get_by_label("Total funding raised (USD)").fill("2500000")
    page.get_by_label("Developers on staff").fill("4")
    page.get_by_role("button", name="Create the startup").click()
    page.get_by_role("button", name="Start the application").click()

    page.locator("#field-builds_with_llama").get_by_label("Yes").check()
    page.locator("#id_product_summary").fill("Visual inspection for small factories, on Llama 3.2 Vision.")
    page.locator("#id_use_case").select_option("Vision")
    page.locator("#field-llama_models").get_by_label("Llama 3.2 11B Vision").check()
    page.locator("#id_technical_contact").fill("cto@acme-vision.example")
    expect(page.locator("#eligibility")).to_contain_text("you meet the program's rules")
    screenshot("journey-2-application-form")
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("heading", name=re.compile("Status"))).to_contain_text("Submitted")
    application = Application.objects.get(startup__name="Acme Vision")

    # The manager runs the assignment; the reviewer scores.
    switch_to(page, log_in, manager.email)
    page.get_by_role("link", name="Rounds I manage").click()
    page.get_by_role("link", name=cohort.name).click()
    page.get_by_role("link", name="Assignments").click()
    page.get_by_role("button", name="Run the assignment").click()
    expect(page.get_by_text("Rui Reviewer").first).to_be_visible()

    switch_to(page, log_in, reviewer.email)
    page.get_by_role("link", name="My reviews").click()
    screenshot("journey-3-review-queue")
    page.get_by_role("link", name=re.compile("^Review application")).click()
    page.get_by_label("Team (weight 1)").select_option("4")
    page.get_by_label("Product and use of Llama (weight 1.5)").select_option("5")
    page.get_by_label("Market (weight 1)").select_option("4")
    page.get_by_label("Traction (weight 0.5)").select_option("3")
    page.get_by_label("Comment for the program team").fill("Llama Vision at the core; a real market.")
    page.get_by_label("Recommendation").select_option("strong_yes")
    screenshot("journey-4-review-form")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()

    # The manager ranks and accepts.
    switch_to(page, log_in, manager.email)
    page.goto(f"{live_server.url}/reviews/rounds/{cohort.pk}/ranking/")
    row = page.get_by_role("row", name=re.compile("Acme Vision"))
    expect(row).to_contain_text("4.25")  # (4 * 1 + 5 * 1.5 + 4 * 1 + 3 * 0.5) / 4
    screenshot("journey-5-ranking")
    row.get_by_role("button", name="Accept Acme Vision").click()
    expect(page.get_by_role("row", name=re.compile("Acme Vision"))).to_contain_text("Accepted")

    # The founder takes up the offer from the status page.
    switch_to(page, log_in, "fatima@acme-vision.example", PASSWORD)
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    expect(page.get_by_role("heading", name=re.compile("Status"))).to_contain_text("Accepted")
    screenshot("journey-6-offer")
    page.goto(f"{live_server.url}/reviews/offers/")
    page.get_by_role("link", name="Acme Vision").click()
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.get_by_role("heading", name="Offer accepted")).to_be_visible()

    # The founder creates an API key, a client reports usage with it, the chart shows it.
    page.goto(f"{live_server.url}/adoption/")
    page.get_by_role("link", name="Acme Vision").click()
    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name").fill("production exporter")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text().strip()
    today = timezone.now().date()
    records = [
        {
            "model": "llama-3.2-11b-vision",
            "date": (today - datetime.timedelta(days=days)).isoformat(),
            "requests": 200 + 3 * days,
            "input_tokens": 90_000 + 1_000 * days,
            "output_tokens": 20_000,
        }
        for days in range(1, 60)
    ]
    response = requests.post(
        f"{live_server.url}/api/v1/usage/", json=records, headers={"Authorization": f"Api-Key {key}"}, timeout=30
    )
    assert (response.status_code, response.json()["stored"]) == (200, len(records))
    page.get_by_role("link", name="Dashboard").click()
    chart = page.locator('[data-chart="usage-per-model"]')
    expect(chart.locator('[data-series="Llama 3.2 11B Vision"] circle')).to_have_count(
        len({record["date"][:7] for record in records})
    )
    screenshot("journey-7-startup-adoption")

    # The manager sees the payment schedule the offer started.
    switch_to(page, log_in, manager.email)
    page.goto(f"{live_server.url}/adoption/programs/{program.slug}/payments/")
    expect(page.get_by_role("heading", name=re.compile("payments"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Acme Vision")
    screenshot("journey-8-payments")
    assert application.disbursements.count() == 6
    assert {payment.amount for payment in Disbursement.objects.filter(application=application)} == {6000}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
