import pytest

from tests.factories import ApplicationFactory, StartupMemberFactory, UserFactory


@pytest.fixture
def member():
    return StartupMemberFactory(user=UserFactory(full_name="Fatima Founder"), startup__name="Acme Vision")


@pytest.fixture
def application(member):
    return ApplicationFactory(startup=member.startup, cohort__name="Spring 2026", cohort__program__name="Llama")
