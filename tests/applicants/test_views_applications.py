import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.enums import ApplicationStatus, MemberRole
from applicants.models import Application, ApplicationStatusChange, Attachment
from common.text import UNSTORABLE_MESSAGE
from programs.enums import ProgramRole
from programs.models import Cohort
from tests.applicants.portal_support import (
    COMPLETE_ANSWERS,
    EXE_BYTES,
    PDF_BYTES,
    draft_with_form,
    member_of,
    move,
    pdf_upload,
    submit,
)
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CohortFactory,
    ProgramMembershipFactory,
    QuestionFactory,
    StartupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, obj):
    return reverse(f"applicants:{name}", kwargs={"pk": obj.pk})


def error_beside(page, key):
    """The text of the error block rendered right under question ``key``."""
    match = re.search(rf'<div id="error-{key}" class="field-errors"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no error block for {key}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def close_round(cohort):
    now = timezone.now()
    Cohort.objects.filter(pk=cohort.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(minutes=1)
    )


# --- Starting ------------------------------------------------------------------------


def test_application_start_without_startup_goes_to_startup_creation(client):
    cohort = CohortFactory()
    client.force_login(UserFactory())
    start = reverse("applicants:application-start", kwargs={"cohort_pk": cohort.pk})

    response = client.get(start)

    assert response.url == f"{reverse('applicants:startup-create')}?next=%2Frounds%2F{cohort.pk}%2Fapply%2F"


def test_application_start_creates_a_draft_and_opens_the_form(client):
    cohort = CohortFactory()
    startup = StartupFactory()
    client.force_login(member_of(startup))

    response = client.post(
        reverse("applicants:application-start", kwargs={"cohort_pk": cohort.pk}), {"startup": startup.pk}
    )

    application = Application.objects.get(startup=startup, cohort=cohort)
    assert response.url == url("application-edit", application)
    assert application.status == ApplicationStatus.DRAFT


def test_application_start_for_another_startup_is_refused(client):
    cohort = CohortFactory()
    client.force_login(member_of(StartupFactory()))

    response = client.post(
        reverse("applicants:application-start", kwargs={"cohort_pk": cohort.pk}), {"startup": StartupFactory().pk}
    )

    assert response.status_code == 200
    assert "Choose one of your startups." in response.text
    assert not Application.objects.exists()


def test_application_start_twice_returns_to_the_draft(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(
        reverse("applicants:application-start", kwargs={"cohort_pk": application.cohort_id}),
        {"startup": application.startup_id},
    )

    assert response.url == url("application-edit", application)
    assert Application.objects.count() == 1


# --- The form ------------------------------------------------------------------------


def test_form_member_sees_every_question_with_its_widget(client):
    application, _ = draft_with_form()
    client.force_login(member_of(application.startup, role=MemberRole.MEMBER))

    response = client.get(url("application-edit", application))

    page = response.text
    assert response.status_code == 200
    assert '<input type="radio" name="builds_with_llama" value="yes"' in page
    assert '<textarea id="id_summary" name="summary"' in page
    assert re.search(r'name="tagline"[^>]*type="text"', page, re.S)
    assert re.search(r'name="users"[^>]*type="number"', page, re.S)
    assert '<select id="id_use_case" name="use_case"' in page
    assert '<input type="checkbox" name="models" value="Llama 4 Scout"' in page
    assert re.search(r'name="demo_url"[^>]*type="url"', page, re.S)
    assert re.search(r'name="contact"[^>]*type="email"', page, re.S)
    assert re.search(r'name="launch"[^>]*type="date"', page, re.S)
    assert '<input type="file" id="id_pitch_deck" name="pitch_deck"' in page
    assert '<label for="id_contact">Technical contact' in page


def test_form_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.get(url("application-edit", application))

    assert response.status_code == 404


def test_form_anonymous_is_sent_to_login(client):
    application, _ = draft_with_form()

    response = client.get(url("application-edit", application))

    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("rows", [1, 3])
def test_form_query_count_is_flat(client, django_assert_num_queries, rows):
    cohort = CohortFactory()
    for order in range(rows):
        QuestionFactory(cohort=cohort, order=order)
    application = ApplicationFactory(cohort=cohort)
    client.force_login(member_of(application.startup))

    # session, user, application, questions, attachments, eligibility rules
    with django_assert_num_queries(6):
        response = client.get(url("application-edit", application))

    assert len(response.context["fields"]) == rows


def test_form_save_draft_keeps_answers(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(
        url("application-edit", application),
        {"action": "save", "builds_with_llama": "yes", "users": "1,200", "models": ["Llama 4 Scout", "Llama 3.1 8B"]},
    )

    application.refresh_from_db()
    assert response.url == url("application-edit", application)
    assert application.answers == {
        "builds_with_llama": True,
        "users": 1200,
        "models": ["Llama 3.1 8B", "Llama 4 Scout"],
    }


def test_form_shows_saved_answers_on_return(client):
    application, owner = draft_with_form(answers={"summary": "Kept from last time", "builds_with_llama": True})
    client.force_login(owner)

    response = client.get(url("application-edit", application))

    assert "Kept from last time</textarea>" in response.text
    assert '<input type="radio" name="builds_with_llama" value="yes" checked>' in response.text


def test_form_invalid_answers_show_errors_beside_fields_and_keep_saved_answers(client):
    application, owner = draft_with_form(answers={"summary": "Saved before", "tagline": "Saved tagline"})
    client.force_login(owner)

    response = client.post(
        url("application-edit", application),
        {
            "action": "save",
            "summary": "A new summary",
            "users": "-5",
            "contact": "not-an-email",
            "demo_url": "ftp://x",
        },
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert error_beside(response.text, "users") == "Enter at least 0."
    assert error_beside(response.text, "contact") == "Enter a valid e-mail address."
    assert error_beside(response.text, "demo_url") == "Enter a full web address, starting with https://."
    assert error_beside(response.text, "summary") == ""
    assert application.answers == {"summary": "Saved before", "tagline": "Saved tagline"}
    # What the user typed is shown again, not lost.
    assert "A new summary</textarea>" in response.text
    assert 'value="not-an-email"' in response.text


def test_form_with_a_nul_character_shows_the_error_beside_the_field(client):
    application, owner = draft_with_form(answers={"tagline": "Saved tagline"})
    client.force_login(owner)

    response = client.post(url("application-edit", application), {"action": "save", "tagline": "a\x00b"})

    application.refresh_from_db()
    assert response.status_code == 200
    assert error_beside(response.text, "tagline") == UNSTORABLE_MESSAGE
    assert application.answers == {"tagline": "Saved tagline"}


def test_form_save_on_submitted_application_is_refused(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    submit(application, owner)
    client.force_login(owner)

    response = client.post(url("application-edit", application), {"action": "save", "summary": "Changed"})

    application.refresh_from_db()
    assert response.url == url("application-detail", application)
    assert application.answers["summary"] == COMPLETE_ANSWERS["summary"]


def test_form_save_and_review_goes_to_review(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(url("application-edit", application), {"action": "review", **COMPLETE_ANSWERS})

    assert response.url == url("application-review", application)


# --- Autosave and the eligibility preview -----------------------------------------


def test_autosave_saves_and_tells_the_preview_to_refresh(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(url("application-autosave", application), {"tagline": "Fast"}, HTTP_HX_REQUEST="true")

    application.refresh_from_db()
    assert response.status_code == 200
    assert response.text.startswith("Saved at")
    assert response["HX-Trigger"] == '{"answers-saved": {}}'
    assert application.answers == {"tagline": "Fast"}


def test_autosave_invalid_returns_errors_for_the_fields(client):
    application, owner = draft_with_form(answers={"tagline": "Kept"})
    client.force_login(owner)

    response = client.post(
        url("application-autosave", application), {"tagline": "New", "users": "lots"}, HTTP_HX_REQUEST="true"
    )

    application.refresh_from_db()
    assert "Not saved" in response.text
    assert (
        '<div id="error-users" class="field-errors" hx-swap-oob="true"><ul class="errorlist"><li>Enter a number.'
        in (response.text)
    )
    assert "HX-Trigger" not in response
    assert application.answers == {"tagline": "Kept"}


def test_autosave_with_a_nul_character_returns_the_error_for_the_field(client):
    application, owner = draft_with_form(answers={"tagline": "Kept"})
    client.force_login(owner)

    response = client.post(url("application-autosave", application), {"tagline": "a\x00b"}, HTTP_HX_REQUEST="true")

    application.refresh_from_db()
    assert (response.status_code, "Not saved" in response.text) == (200, True)
    assert error_beside(response.text, "tagline") == UNSTORABLE_MESSAGE
    assert application.answers == {"tagline": "Kept"}


def test_autosave_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.post(url("application-autosave", application), {"tagline": "Hijack"})

    application.refresh_from_db()
    assert response.status_code == 404
    assert application.answers == {}


def test_eligibility_preview_lists_each_rule(client):
    application, owner = draft_with_form(answers={"builds_with_llama": False})
    client.force_login(owner)

    response = client.get(url("application-eligibility", application))

    assert response.status_code == 200
    assert "Startups must be incorporated in the United States." in response.text
    assert "Met:" in response.text
    assert "Not met:" in response.text
    assert "The program is for startups building with Llama." in response.text


def test_eligibility_preview_warns_when_a_blind_program_s_answer_names_the_startup(client):
    application, owner = draft_with_form(
        startup__name="Zorblax Asfxg Labs", answers={"summary": "ZorblaxAsfxgLabs ships."}
    )
    application.cohort.program.blind_review = True
    application.cohort.program.save()
    client.force_login(owner)

    response = client.get(url("application-eligibility", application))

    assert "This program reviews applications blind." in response.text
    assert "What are you building?: ZorblaxAsfxgLabs" in response.text


def test_eligibility_preview_says_nothing_of_names_when_the_program_is_not_blind(client):
    application, owner = draft_with_form(
        startup__name="Zorblax Asfxg Labs", answers={"summary": "ZorblaxAsfxgLabs ships."}
    )
    client.force_login(owner)

    response = client.get(url("application-eligibility", application))

    assert "reviews applications blind" not in response.text


def test_eligibility_preview_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.get(url("application-eligibility", application))

    assert response.status_code == 404


# --- Uploads ---------------------------------------------------------------------------


def test_upload_pdf_is_stored(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(url("application-edit", application), {"action": "save", "pitch_deck": pdf_upload()})

    attachment = Attachment.objects.get(application=application, question_key="pitch_deck")
    assert response.status_code == 302
    assert (attachment.original_name, attachment.content_type) == ("deck.pdf", "application/pdf")
    assert attachment.file.read() == PDF_BYTES


def test_upload_is_shown_with_download_and_remove(client):
    application, owner = draft_with_form()
    attachment = AttachmentFactory(application=application)
    client.force_login(owner)

    response = client.get(url("application-edit", application))

    assert f'href="{attachment.get_absolute_url()}">deck.pdf</a>' in response.text
    assert f'form="remove-{attachment.pk}"' in response.text
    assert f'action="{url("attachment-delete", attachment)}"' in response.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deck.pdf", EXE_BYTES, "Upload a PDF, PNG or JPEG file."),
        ("deck.pdf", b"Just some text, honestly a PDF.", "Upload a PDF, PNG or JPEG file."),
        ("deck.exe", PDF_BYTES, "The file's name ends in .exe but it is a PDF."),
    ],
)
def test_upload_of_a_disguised_file_is_refused_beside_the_field(client, name, content, message):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(
        url("application-edit", application), {"action": "save", "pitch_deck": pdf_upload(name=name, content=content)}
    )

    assert response.status_code == 200
    assert error_beside(response.text, "pitch_deck") == message
    assert not Attachment.objects.exists()


def test_upload_over_10_mb_is_refused(client):
    application, owner = draft_with_form()
    client.force_login(owner)
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)

    response = client.post(
        url("application-edit", application), {"action": "save", "pitch_deck": pdf_upload(content=big)}
    )

    assert error_beside(response.text, "pitch_deck") == "The file is larger than 10 MB."
    assert not Attachment.objects.exists()


def test_upload_is_kept_even_when_an_answer_is_wrong(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.post(
        url("application-edit", application), {"action": "save", "users": "many", "pitch_deck": pdf_upload()}
    )

    assert error_beside(response.text, "users") == "Enter a number."
    assert Attachment.objects.filter(application=application).count() == 1


def test_attachment_delete_by_member(client):
    application, owner = draft_with_form()
    attachment = AttachmentFactory(application=application)
    client.force_login(owner)

    response = client.post(url("attachment-delete", attachment))

    assert response.url == url("application-edit", application)
    assert not Attachment.objects.exists()


def test_attachment_delete_by_stranger_gets_404(client):
    attachment = AttachmentFactory()
    client.force_login(UserFactory())

    response = client.post(url("attachment-delete", attachment))

    assert response.status_code == 404
    assert Attachment.objects.exists()


def test_attachment_download_by_member(client):
    attachment = AttachmentFactory()
    client.force_login(member_of(attachment.application.startup, role=MemberRole.MEMBER))

    response = client.get(url("attachment-download", attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="deck.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_download_by_program_manager(client):
    attachment = AttachmentFactory()
    manager = ProgramMembershipFactory(program=attachment.application.cohort.program, role=ProgramRole.MANAGER).user
    client.force_login(manager)

    response = client.get(url("attachment-download", attachment))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [None, ProgramRole.REVIEWER])
def test_attachment_download_by_stranger_gets_404(client, role):
    attachment = AttachmentFactory()
    user = UserFactory()
    if role:
        ProgramMembershipFactory(program=attachment.application.cohort.program, user=user, role=role)
    client.force_login(user)

    response = client.get(url("attachment-download", attachment))

    assert response.status_code == 404


def test_attachment_download_anonymous_is_sent_to_login(client):
    attachment = AttachmentFactory()

    response = client.get(url("attachment-download", attachment))

    assert response.url.startswith(reverse("accounts:login"))


# --- Review and submit ---------------------------------------------------------------


def test_review_shows_answers_and_highlights_missing_ones(client):
    application, owner = draft_with_form(answers={"summary": "Our summary", "builds_with_llama": True})
    client.force_login(owner)

    response = client.get(url("application-review", application))

    assert response.status_code == 200
    assert "Our summary" in response.text
    assert response.context["missing"] == {"use_case": ["This question is required."]}
    assert '<div class="answer missing" id="answer-use_case">' in response.text


def test_review_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.get(url("application-review", application))

    assert response.status_code == 404


def test_review_anonymous_is_sent_to_login(client):
    application, _ = draft_with_form()

    response = client.get(url("application-review", application))

    assert response.url.startswith(reverse("accounts:login"))


def test_submit_complete_draft_is_submitted_with_history(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    client.force_login(owner)

    response = client.post(url("application-review", application))

    application.refresh_from_db()
    assert response.url == url("application-detail", application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert list(application.status_changes.values_list("from_status", "to_status", "actor")) == [
        (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, owner.pk)
    ]


def test_submit_after_the_round_closed_is_refused_and_the_draft_stays(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    close_round(application.cohort)
    client.force_login(owner)

    response = client.post(url("application-review", application))

    application.refresh_from_db()
    assert response.status_code == 200
    assert "The deadline for this round has passed; your draft is kept" in response.text
    assert application.status == ApplicationStatus.DRAFT
    assert application.answers["summary"] == COMPLETE_ANSWERS["summary"]
    assert not ApplicationStatusChange.objects.exists()


def test_submit_incomplete_shows_errors(client):
    application, owner = draft_with_form(answers={"summary": "Only this"})
    client.force_login(owner)

    response = client.post(url("application-review", application))

    application.refresh_from_db()
    assert response.status_code == 200
    assert "Some required questions are unanswered" in response.text
    assert set(response.context["missing"]) == {"builds_with_llama", "use_case"}
    assert application.status == ApplicationStatus.DRAFT


def test_submit_ineligible_shows_the_reasons_on_the_status_page(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": False})
    client.force_login(owner)

    response = client.post(url("application-review", application), follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE
    assert response.request["PATH_INFO"] == url("application-detail", application)
    assert "Eligibility at submission" in response.text
    assert "The program is for startups building with Llama." in response.text


def test_submit_by_stranger_gets_404(client):
    application, _ = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    client.force_login(UserFactory())

    response = client.post(url("application-review", application))

    application.refresh_from_db()
    assert response.status_code == 404
    assert application.status == ApplicationStatus.DRAFT


# --- Withdraw ----------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation(client):
    application, owner = draft_with_form()
    client.force_login(owner)

    response = client.get(url("application-withdraw", application))

    application.refresh_from_db()
    assert response.status_code == 200
    assert "Yes, withdraw it" in response.text
    assert application.status == ApplicationStatus.DRAFT


def test_withdraw_with_reason_is_recorded(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    submit(application, owner)
    client.force_login(owner)

    response = client.post(url("application-withdraw", application), {"reason": "We joined another program."})

    application.refresh_from_db()
    assert response.url == url("application-detail", application)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.status_changes.last().reason == "We joined another program."


def test_withdraw_by_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.post(url("application-withdraw", application))

    application.refresh_from_db()
    assert response.status_code == 404
    assert application.status == ApplicationStatus.DRAFT


def test_withdraw_a_final_application_is_refused(client):
    application, owner = draft_with_form()
    move(application, ApplicationStatus.WITHDRAWN)
    client.force_login(owner)

    response = client.post(url("application-withdraw", application), follow=True)

    assert "This application can no longer be withdrawn." in response.text
    assert application.status_changes.count() == 1


# --- Status page ---------------------------------------------------------------------------


def test_status_page_shows_history_and_answers(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    owner.full_name = "Ada Founder"
    owner.save()
    submit(application, owner)
    client.force_login(owner)

    response = client.get(url("application-detail", application))

    assert response.status_code == 200
    assert "Ada Founder" in response.text
    assert "Code review with Llama." in response.text
    assert "The application met the program's rules." in response.text


def test_status_page_shows_dates_in_the_viewers_time_zone(client):
    application, owner = draft_with_form(answers=COMPLETE_ANSWERS | {"builds_with_llama": True})
    submit(application, owner)
    owner.timezone = "Asia/Tokyo"
    owner.save()
    client.force_login(owner)

    response = client.get(url("application-detail", application))

    application.refresh_from_db()
    tokyo = application.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert f"{tokyo:%H:%M} JST" in response.text


def test_status_page_stranger_gets_404(client):
    application, _ = draft_with_form()
    client.force_login(UserFactory())

    response = client.get(url("application-detail", application))

    assert response.status_code == 404


def test_status_page_anonymous_is_sent_to_login(client):
    application, _ = draft_with_form()

    response = client.get(url("application-detail", application))

    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "statuses",
    [
        [ApplicationStatus.SUBMITTED],
        [ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.ACCEPTED],
    ],
)
def test_status_page_query_count_is_flat(client, django_assert_num_queries, statuses):
    application, owner = draft_with_form()
    move(application, *statuses, actor=owner)
    client.force_login(owner)

    # session, user, application, questions, attachments, eligibility rules, history, offer
    with django_assert_num_queries(8):
        response = client.get(url("application-detail", application))

    assert len(response.context["history"]) == len(statuses)


@pytest.mark.parametrize("rows", [1, 3])
def test_review_query_count_is_flat(client, django_assert_num_queries, rows):
    cohort = CohortFactory()
    for order in range(rows):
        QuestionFactory(cohort=cohort, order=order, required=True)
    application = ApplicationFactory(cohort=cohort)
    client.force_login(member_of(application.startup))

    # session, user, application, questions, attachments, eligibility rules
    with django_assert_num_queries(6):
        response = client.get(url("application-review", application))

    assert len(response.context["missing"]) == rows


def test_review_after_the_round_closed_says_so(client):
    application, owner = draft_with_form()
    close_round(application.cohort)
    client.force_login(owner)

    response = client.get(url("application-review", application))

    assert "This round has closed. Your draft is kept" in response.text
