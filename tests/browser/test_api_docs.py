from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_offline(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=/api/v1/applications/{id}/submit/")

    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {urlsplit(live_server.url).netloc}
