import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-42"


def test_sign_up_creates_the_account_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Ada@Orbit.example", "full_name": "Ada", "timezone": "Europe/Paris",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip

    user = User.objects.get()
    assert (user.email, user.timezone) == ("ada@orbit.example", "Europe/Paris")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_sign_up_with_a_taken_address_says_so_beside_the_field(client):
    UserFactory(email="ada@orbit.example")

    response = client.post(
        "/accounts/signup/",
        {"email": "ADA@orbit.example", "full_name": "Ada", "timezone": "UTC", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip

    assert response.context["form"].errors["email"] == ["An account with this e-mail address already exists."]
    assert User.objects.count() == 1


def test_sign_up_does_not_follow_a_next_to_another_site(client):
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {"email": "ada@orbit.example", "timezone": "UTC", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response["Location"] == "/dashboard/"


def test_password_reset_by_e_mail_sets_a_new_password(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory(email="ada@orbit.example")

    client.post("/accounts/password-reset/", {"email": "ada@orbit.example"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})

    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    response = client.post("/accounts/password-reset/", {"email": "nobody@orbit.example"}, follow=True)

    assert mail.outbox == []
    assert b"Check your inbox" in response.content


def test_profile_saves_language_and_time_zone(client):
    user = UserFactory()
    client.force_login(user)

    client.post("/accounts/profile/", {"full_name": "Ada L.", "language": "fr", "timezone": "Asia/Tokyo"})

    user.refresh_from_db()
    assert (user.full_name, user.language, user.timezone) == ("Ada L.", "fr", "Asia/Tokyo")


def test_profile_needs_a_login(client):
    response = client.get("/accounts/profile/")

    assert response["Location"].startswith("/accounts/login/")
