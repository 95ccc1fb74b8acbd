"""A founder applies end to end in Chromium, over two visits."""

import re

import pytest
from playwright.sync_api import expect

from applicants.enums import ApplicationStatus
from applicants.models import Application
from tests.applicants.portal_support import draft_with_form, llama_form
from tests.factories import CohortFactory
from tests.factories.applicants import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-pass-phrase-42"


def test_founder_applies_over_two_visits(page, live_server, log_in, screenshot, confirm_sign_up):
    cohort = CohortFactory(program__name="Llama for Startups", name="Spring intake")
    llama_form(cohort)

    # The program page: the apply button leads through sign-up and the startup profile.
    page.goto(f"{live_server.url}{cohort.program.get_absolute_url()}")
    screenshot("portal-program")
    page.get_by_role("link", name="Apply to Spring intake").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").fill("ada@orbit.example")
    page.get_by_label("Your name").fill("Ada Founder")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirm_sign_up()

    expect(page.get_by_role("heading", name="Tell us about your startup")).to_be_visible()
    page.locator("#id_name").fill("Orbit Labs")
    page.get_by_label("Country of incorporation").select_option("US")
    page.get_by_label("Total funding raised (USD)").fill("750000")
    page.get_by_label("Developers on staff").fill("2")
    page.get_by_role("button", name="Create the startup").click()

    expect(page.get_by_role("heading", name=re.compile("Apply to Llama for Startups"))).to_be_visible()
    page.get_by_role("button", name="Start the application").click()

    # First visit: part of the form, saved by autosave, the preview follows.
    expect(page.get_by_label("What are you building?")).to_be_visible()
    eligibility = page.locator("#eligibility")
    expect(eligibility).to_contain_text("would be ineligible")
    page.locator("#field-builds_with_llama").get_by_label("Yes").check()
    page.locator("#id_summary").fill("Code review for small teams, on Llama 3.1 8B.")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    expect(eligibility).to_contain_text("you meet the program's rules")
    page.locator("#id_users").fill("-3")
    page.locator("#id_users").blur()
    expect(page.locator("#error-users")).to_contain_text("Enter at least 0.")
    page.locator("#id_users").fill("120")
    page.locator("#id_users").blur()
    expect(page.locator("#error-users")).to_be_empty()

    # Leave: log out, log back in, find the draft from the dashboard.
    page.get_by_role("button", name="Log out").click()
    log_in("ada@orbit.example", PASSWORD)
    page.get_by_role("link", name="Continue the draft").click()
    expect(page.locator("#id_summary")).to_have_value("Code review for small teams, on Llama 3.1 8B.")
    expect(page.locator("#field-builds_with_llama").get_by_label("Yes")).to_be_checked()
    expect(page.locator("#id_users")).to_have_value("120")

    # Second visit: complete it, attach the deck, review and submit.
    page.locator("#id_use_case").select_option("Code")
    page.locator("#field-models").get_by_label("Llama 4 Scout").check()
    page.locator("#id_pitch_deck").set_input_files(
        files=[{"name": "deck.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="deck.pdf")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("portal-application-form")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Save and review").click()

    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(page.locator("#answer-models")).to_contain_text("Llama 4 Scout")
    page.get_by_role("button", name="Submit the application").click()

    expect(page.get_by_role("heading", name=re.compile("Status"))).to_contain_text("Submitted")
    history = page.get_by_role("table", name="Status history")
    expect(history).to_contain_text("Ada Founder")
    expect(history).to_contain_text("Draft")
    screenshot("portal-status")
    application = Application.objects.get(startup__name="Orbit Labs")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.answers["users"] == 120
    assert application.attachments.get().original_name == "deck.pdf"


def test_draft_saves_and_uploads_without_javascript(browser, live_server):
    application, owner = draft_with_form()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/applications/{application.pk}/edit/")
    page.get_by_label("E-mail").fill(owner.email)
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Log in").click()

    page.locator("#id_summary").fill("Typed without JavaScript.")
    page.locator("#id_users").fill("-1")
    page.locator("#id_pitch_deck").set_input_files(
        files=[{"name": "deck.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("#error-users")).to_have_text("Enter at least 0.")
    expect(page.locator("#id_summary")).to_have_value("Typed without JavaScript.")
    expect(page.get_by_role("link", name="deck.pdf")).to_be_visible()
    page.locator("#id_users").fill("3")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    page.get_by_role("button", name="Remove deck.pdf").click()
    expect(page.get_by_text("deck.pdf is removed.")).to_be_visible()
    application.refresh_from_db()
    assert application.answers == {"summary": "Typed without JavaScript.", "users": 3}
    assert not application.attachments.exists()
    context.close()
