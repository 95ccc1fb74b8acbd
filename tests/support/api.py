"""Helpers for API tests."""

from rest_framework.test import APIClient

from accounts.models import User


def client_for(user: User | None) -> APIClient:
    """A client logged in as ``user`` without spending queries on authentication,
    so that query counts measure the endpoint alone (anonymous if None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
