import pytest

from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_program_list_renders_in_chromium(page, live_server):
    cohort = CohortFactory(program__name="Llama for Startups")

    page.goto(live_server.url + "/")

    assert page.get_by_role("heading", name="Llama for Startups").is_visible()
    assert cohort.name in page.content()
