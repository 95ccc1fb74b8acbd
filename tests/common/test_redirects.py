import pytest
from django.test import RequestFactory

from common.redirects import safe_next_url


@pytest.fixture
def request_():
    return RequestFactory().get("/", HTTP_HOST="testserver")


def test_safe_next_url_keeps_a_path_on_this_site(request_):
    assert safe_next_url(request_, "/startups/new/?x=1") == "/startups/new/?x=1"


@pytest.mark.parametrize(
    "url",
    ["NaN", "applicants:dashboard", "https://evil.example/", "//evil.example/", "/a\x00b", "/" + "a" * 2001, ""],
)
def test_safe_next_url_refuses_what_is_not_a_storable_path_here(request_, url):
    assert safe_next_url(request_, url) == ""
