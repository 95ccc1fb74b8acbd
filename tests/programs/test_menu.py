import pytest

from programs.enums import ProgramRole
from tests.factories import ProgramMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, user):
    client.post("/accounts/login/", {"username": user.email, "password": "pass-word-123"})


def test_menu_shows_a_reviewer_their_reviews_and_not_the_rounds(client):
    log_in(client, ProgramMembershipFactory(role=ProgramRole.REVIEWER).user)

    page = client.get("/").content.decode()

    assert ("My reviews" in page, "Rounds I manage" in page, ">Adoption<" in page) == (True, False, False)


def test_menu_shows_a_manager_the_rounds_and_adoption(client):
    log_in(client, ProgramMembershipFactory(role=ProgramRole.MANAGER).user)

    page = client.get("/").content.decode()

    assert ("My reviews" in page, "Rounds I manage" in page, ">Adoption<" in page) == (False, True, True)


def test_menu_shows_a_founder_neither(client):
    log_in(client, UserFactory())

    page = client.get("/").content.decode()

    assert ("My reviews" in page, "Rounds I manage" in page, ">Adoption<" in page) == (False, False, False)
