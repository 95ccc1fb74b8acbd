import datetime

import pytest
from django.utils import timezone

from applicants import services as applicants_services
from notifications import services, tasks
from outbox.models import OutboxMessage
from programs.enums import ProgramRole
from tests.factories import ApplicationFactory, ProgramMembershipFactory, StartupMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return ProgramMembershipFactory(
        role=ProgramRole.MANAGER, program__name="Llama", user=UserFactory(full_name="Maya Manager")
    )


def submit_to(program, name):
    member = StartupMemberFactory(startup__name=name)
    application = ApplicationFactory(startup=member.startup, cohort__program=program, cohort__name="Spring")
    applicants_services.application_submit(application=application, user=member.user)
    return application


def digests():
    return OutboxMessage.objects.filter(event="manager_digest")


def test_digest_lists_the_days_new_submissions(manager):
    submit_to(manager.program, "Acme Vision")
    submit_to(manager.program, "Ledgerly")

    tasks.send_manager_digests.delay()

    message = digests().get()
    assert (message.to_email, message.subject) == (
        manager.user.email,
        f"Llama: your daily digest for {services.date_for(timezone.now(), language='en')}",
    )
    assert "New submissions (2)\n- Acme Vision (Spring)\n- Ledgerly (Spring)\n" in message.body


def test_digest_is_skipped_when_nothing_happened(manager):
    created = services.digests_create()

    assert (created, digests().count()) == (0, 0)


def test_digest_leaves_out_submissions_older_than_a_day(manager):
    submit_to(manager.program, "Acme Vision")

    services.digests_create(now=timezone.now() + datetime.timedelta(days=1, minutes=1))

    assert digests().count() == 0


def test_digest_twice_the_same_day_writes_one_per_manager(manager):
    ProgramMembershipFactory(role=ProgramRole.MANAGER, program=manager.program)
    submit_to(manager.program, "Acme Vision")

    services.digests_create()
    services.digests_create()

    assert digests().count() == 2


def test_digest_goes_to_managers_only_in_their_language(manager):
    ProgramMembershipFactory(role=ProgramRole.REVIEWER, program=manager.program)
    manager.user.language = "fr"
    manager.user.save(update_fields=["language"])
    submit_to(manager.program, "Acme Vision")

    services.digests_create()

    message = digests().get()
    assert message.to_email == manager.user.email
    assert "Nouvelles candidatures (1)\n- Acme Vision (Spring)" in message.body


def test_digest_of_one_program_ignores_another_programs_submissions(manager):
    other = ProgramMembershipFactory(role=ProgramRole.MANAGER)
    submit_to(other.program, "Elsewhere")

    services.digests_create()

    assert list(digests().values_list("to_email", flat=True)) == [other.user.email]


def test_digest_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-manager-digests"]

    assert entry["task"] == tasks.send_manager_digests.name
