import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-42"


CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)")
# Each page carries a fresh mask of the CSRF token.
CSRF_TOKEN = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Post the sign-up form and send the e-mails it queues."""

    def post(email="ada@orbit.example", path="/accounts/signup/", **fields):
        data = {"email": email, "full_name": "Ada", "timezone": "UTC", "password1": PASSWORD, "password2": PASSWORD}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, {**data, **fields})

    return post


def confirm_link() -> str:
    return CONFIRM_LINK.search(mail.outbox[-1].body).group(1)


def test_sign_up_creates_no_account_until_the_e_mailed_link_is_used(sign_up, client):
    response = sign_up("Ada@Orbit.example")

    assert response["Location"] == "/accounts/signup/sent/"
    assert mail.outbox[0].to == ["ada@orbit.example"]
    assert not User.objects.exists()
    assert client.get("/dashboard/").status_code == 302


def test_sign_up_link_creates_the_account_and_logs_in(sign_up, client):
    sign_up("Ada@Orbit.example", timezone="Europe/Paris")

    response = client.post(confirm_link())

    user = User.objects.get()
    assert (user.email, user.full_name, user.timezone) == ("ada@orbit.example", "Ada", "Europe/Paris")
    assert user.check_password(PASSWORD)
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_sign_up_link_opened_without_the_button_creates_nothing(sign_up, client):
    sign_up()

    response = client.get(confirm_link())

    assert "Confirm and log in" in response.text
    assert not User.objects.exists()


def test_sign_up_link_works_once(sign_up, client):
    sign_up()
    link = confirm_link()
    client.post(link)
    client.logout()

    response = client.post(link)

    assert "This link has expired or was already used" in response.text
    assert User.objects.count() == 1


def test_sign_up_with_a_registered_address_answers_as_for_a_new_one(sign_up, client):
    UserFactory(email="taken@orbit.example")

    answers = []
    for email in ("new@orbit.example", "TAKEN@orbit.example"):
        client.cookies.clear()
        response = sign_up(email)
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], page.status_code, CSRF_TOKEN.sub("", page.text)))

    assert answers[0] == answers[1]


def test_sign_up_with_a_registered_address_e_mails_its_owner_and_changes_nothing(sign_up):
    owner = UserFactory(email="ada@orbit.example", full_name="Ada Lovelace")
    password = owner.password

    sign_up("ADA@orbit.example", full_name="Someone Else")

    owner.refresh_from_db()
    assert [email.subject for email in mail.outbox] == ["You already have a Runway account"]
    assert "/accounts/password-reset/\n" in mail.outbox[0].body
    assert (owner.password, owner.full_name, User.objects.count()) == (password, "Ada Lovelace", 1)


def test_sign_up_follows_next_once_the_link_is_used(sign_up, client):
    sign_up(path="/accounts/signup/?next=/startups/new/")

    response = client.post(confirm_link())

    assert response["Location"] == "/startups/new/"


def test_sign_up_does_not_follow_a_next_to_another_site(sign_up, client):
    sign_up(path="/accounts/signup/?next=https://evil.example/")

    response = client.post(confirm_link())

    assert response["Location"] == "/dashboard/"


@pytest.mark.parametrize("next_url", ["/a\x00b", "NaN"])
def test_sign_up_drops_a_next_that_is_not_a_storable_path(sign_up, client, next_url):
    response = sign_up(next=next_url)

    assert response.status_code == 302
    assert client.post(confirm_link())["Location"] == "/dashboard/"


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
