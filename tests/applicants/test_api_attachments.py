import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants import services
from applicants.enums import MemberRole
from applicants.models import Attachment
from programs.enums import ProgramRole, QuestionKind
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CohortFactory,
    ProgramMembershipFactory,
    QuestionFactory,
    StartupMemberFactory,
)
from tests.factories.applicants import PDF_BYTES
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def member():
    return StartupMemberFactory(role=MemberRole.MEMBER)


@pytest.fixture
def stranger():
    return StartupMemberFactory()


@pytest.fixture
def application(member):
    cohort = CohortFactory()
    QuestionFactory(cohort=cohort, key="pitch_deck", kind=QuestionKind.FILE)
    QuestionFactory(cohort=cohort, key="pitch", kind=QuestionKind.LONG_TEXT)
    return ApplicationFactory(startup=member.startup, cohort=cohort, answers={"pitch": "Hello."})


def attachments_url(application, suffix=""):
    return f"/api/v1/applications/{application.pk}/attachments/{suffix}"


def upload(client, application, *, name="deck.pdf", content=PDF_BYTES, key="pitch_deck"):
    return client.post(
        attachments_url(application),
        {"question_key": key, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


# --- Upload ---------------------------------------------------------------


def test_attachment_upload_by_member(member, application):
    response = upload(client_for(member.user), application)

    assert response.status_code == 201
    body = response.json()
    assert (body["question_key"], body["original_name"], body["content_type"], body["size"]) == (
        "pitch_deck",
        "deck.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.file.read() == PDF_BYTES
    assert body["download_url"] == f"http://testserver{attachments_url(application, f'{attachment.pk}/download/')}"


def test_attachment_upload_again_replaces_the_earlier_file(member, application):
    client = client_for(member.user)
    upload(client, application)

    response = upload(client, application, name="deck.png", content=PNG_BYTES)

    assert response.status_code == 201
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["deck.png"]


def test_attachment_upload_checks_content_not_name(member, application):
    response = upload(client_for(member.user), application, name="deck.pdf", content=b"MZ\x90\x00 not a pdf at all")

    assert response.status_code == 400
    assert response.json() == {"pitch_deck": ["Upload a PDF, PNG or JPEG file."]}
    assert not Attachment.objects.exists()


def test_attachment_upload_too_large_is_400(settings, member, application):
    settings.RUNWAY_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big_pdf = PDF_BYTES + b"0" * (1024 * 1024)

    response = upload(client_for(member.user), application, content=big_pdf)

    assert response.status_code == 400
    assert response.json() == {"pitch_deck": ["The file is larger than 1 MB."]}


def test_attachment_upload_to_a_text_question_is_400(member, application):
    response = upload(client_for(member.user), application, key="pitch")

    assert response.status_code == 400
    assert list(response.json()) == ["pitch"]


def test_attachment_upload_without_file_names_the_field(member, application):
    response = client_for(member.user).post(
        attachments_url(application), {"question_key": "pitch_deck"}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["file"]


def test_attachment_upload_as_json_is_415(member, application):
    response = client_for(member.user).post(attachments_url(application), {"question_key": "pitch_deck"}, format="json")

    assert response.status_code == 415


def test_attachment_upload_after_submission_is_409(member, application):
    services.application_submit(application=application, user=member.user)

    response = upload(client_for(member.user), application)

    assert response.status_code == 409
    assert not Attachment.objects.exists()


def test_attachment_upload_by_stranger_is_404(application, stranger):
    response = upload(client_for(stranger.user), application)

    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_attachment_upload_anonymous_is_401(application):
    response = upload(client_for(None), application)

    assert response.status_code == 401


# --- List -----------------------------------------------------------------


def test_attachment_list_by_member(member, application):
    attachment = AttachmentFactory(application=application)

    response = client_for(member.user).get(attachments_url(application))

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [attachment.pk]


def test_attachment_list_by_stranger_is_404(application, stranger):
    AttachmentFactory(application=application)

    response = client_for(stranger.user).get(attachments_url(application))

    assert response.status_code == 404


@pytest.mark.parametrize(("rows", "queries"), [(1, 3), (3, 3)])
def test_attachment_list_query_count_is_constant(django_assert_num_queries, member, application, rows, queries):
    for n in range(rows):
        AttachmentFactory(application=application, question_key=f"file_{n}")
    client = client_for(member.user)

    with django_assert_num_queries(queries):
        response = client.get(attachments_url(application))

    assert response.json()["count"] == rows


# --- Delete ---------------------------------------------------------------


def test_attachment_delete_by_member_removes_row_and_file(django_capture_on_commit_callbacks, member, application):
    attachment = AttachmentFactory(application=application)
    name = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member.user).delete(attachments_url(application, f"{attachment.pk}/"))

    assert response.status_code == 204
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)


def test_attachment_delete_by_stranger_is_404(application, stranger):
    attachment = AttachmentFactory(application=application)

    response = client_for(stranger.user).delete(attachments_url(application, f"{attachment.pk}/"))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_delete_through_another_application_is_404(member, application):
    mine = ApplicationFactory(startup=member.startup)
    attachment = AttachmentFactory(application=application)

    response = client_for(member.user).delete(attachments_url(mine, f"{attachment.pk}/"))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_delete_after_submission_is_409(member, application):
    attachment = AttachmentFactory(application=application)
    services.application_submit(application=application, user=member.user)

    response = client_for(member.user).delete(attachments_url(application, f"{attachment.pk}/"))

    assert response.status_code == 409
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- Download -------------------------------------------------------------


def download(client, attachment):
    return client.get(attachments_url(attachment.application, f"{attachment.pk}/download/"))


def test_attachment_download_by_member(member, application):
    attachment = AttachmentFactory(application=application, original_name="Our deck.pdf")

    response = download(client_for(member.user), attachment)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Our deck.pdf"'


def test_attachment_download_by_program_manager(application):
    attachment = AttachmentFactory(application=application)
    manager = ProgramMembershipFactory(program=application.cohort.program, role=ProgramRole.MANAGER).user

    response = download(client_for(manager), attachment)

    assert response.status_code == 200


def test_attachment_download_by_manager_of_another_program_is_404(application):
    attachment = AttachmentFactory(application=application)
    manager = ProgramMembershipFactory(role=ProgramRole.MANAGER).user

    response = download(client_for(manager), attachment)

    assert response.status_code == 404


def test_attachment_download_by_reviewer_is_404(application):
    attachment = AttachmentFactory(application=application)
    reviewer = ProgramMembershipFactory(program=application.cohort.program, role=ProgramRole.REVIEWER).user

    response = download(client_for(reviewer), attachment)

    assert response.status_code == 404


def test_attachment_download_by_stranger_is_404(application, stranger):
    attachment = AttachmentFactory(application=application)

    response = download(client_for(stranger.user), attachment)

    assert response.status_code == 404


def test_attachment_download_anonymous_is_401(application):
    attachment = AttachmentFactory(application=application)

    response = download(client_for(None), attachment)

    assert response.status_code == 401


def test_attachment_download_with_its_file_gone_is_404(member, application):
    attachment = AttachmentFactory(application=application)
    attachment.file.storage.delete(attachment.file.name)

    response = download(client_for(member.user), attachment)

    assert response.status_code == 404


def test_attachment_download_ignores_the_accept_header(member, application):
    attachment = AttachmentFactory(application=application)

    response = client_for(member.user).get(
        attachments_url(application, f"{attachment.pk}/download/"), HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 200
