import threading

import pytest
from django.db import connection

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationStatusChange
from tests.factories import ApplicationFactory, StartupMemberFactory
from tests.support.api import client_for


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_application_submit_twice_at_once_transitions_once():
    member = StartupMemberFactory()
    application = ApplicationFactory(startup=member.startup)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit() -> None:
        client = client_for(member.user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(f"/api/v1/applications/{application.pk}/submit/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 409]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    assert list(ApplicationStatusChange.objects.values_list("from_status", "to_status")) == [
        (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
    ]
