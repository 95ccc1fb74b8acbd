import pytest

from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/adoption/deployments/"


def test_member_lists_own_startups_deployments(client, accepted, other_accepted):
    mine = DeploymentFactory(startup=accepted.startup)
    DeploymentFactory(startup=other_accepted.startup)
    client.force_login(accepted.owner)

    response = client.get(URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_stranger_sees_no_deployment(client, accepted, stranger):
    DeploymentFactory(startup=accepted.startup)
    client.force_login(stranger)

    response = client.get(URL)

    assert response.json()["results"] == []


def test_anonymous_gets_401(client):
    response = client.get(URL)

    assert response.status_code == 401


@pytest.mark.parametrize("rows", [1, 3])
def test_deployment_list_endpoint_query_count(client, accepted, django_assert_num_queries, rows):
    DeploymentFactory.create_batch(rows, startup=accepted.startup)
    client.force_login(accepted.owner)

    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert len(response.json()["results"]) == rows
