import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/accounts/login/", "/accounts/signup/", "/api/docs/"])
def test_public_page_answers(client, path):
    response = client.get(path)

    assert response.status_code == 200


def test_api_schema_is_served(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi" in response.content
