import re

import pytest
from playwright.sync_api import expect

from reviews import services
from tests.factories import CohortFactory, CriterionFactory
from tests.reviews.conftest import founder_of, make_manager, make_reviewer, make_submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_scores_manager_accepts_startup_sees_its_offer(page, live_server, log_in, screenshot):
    cohort = CohortFactory(program__name="Llama for Startups", capacity=2)
    for order, (name, guidance) in enumerate(
        [("Team", "Can this team ship?"), ("Use of Llama", "Is Llama central to the product?")]
    ):
        CriterionFactory(program=cohort.program, name=name, guidance=guidance, order=order)
    reviewer, manager = make_reviewer(cohort.program), make_manager(cohort.program)
    application = make_submitted(cohort, name="Acme Vision")
    assignment = services.assignment_create(application=application, reviewer=reviewer, actor=manager)
    founder = founder_of(application)

    log_in(reviewer.email)
    page.goto(f"{live_server.url}/reviews/")
    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
    expect(page.get_by_text("Not started")).to_be_visible()
    screenshot("reviews-queue")

    page.get_by_role("link", name=re.compile("^Review application")).click()
    page.get_by_label("Team (weight 1)").select_option("4")
    page.get_by_label("Use of Llama (weight 1)").select_option("5")
    page.get_by_label("Comment for the program team").fill("Strong founders, Llama at the core.")
    page.get_by_label("Recommendation").select_option("strong_yes")
    screenshot("reviews-form")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
    assert assignment.review.submitted_at is not None

    page.context.clear_cookies()
    log_in(manager.email)
    page.goto(f"{live_server.url}/reviews/rounds/{cohort.pk}/ranking/")
    row = page.get_by_role("row", name=re.compile("Acme Vision"))
    expect(row).to_contain_text("4.50")
    screenshot("reviews-ranking")
    row.get_by_role("button", name="Accept Acme Vision").click()
    expect(page.get_by_text("Accept: 1 application.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Acme Vision"))).to_contain_text("Accepted")

    page.context.clear_cookies()
    log_in(founder.email)
    page.goto(f"{live_server.url}/reviews/offers/")
    page.get_by_role("link", name="Acme Vision").click()
    expect(page.get_by_role("heading", name="You have a place")).to_be_visible()
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.get_by_text("Welcome aboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Offer accepted")).to_be_visible()
