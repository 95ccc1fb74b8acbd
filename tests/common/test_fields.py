import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, models, transaction

from common.fields import LONG_TEXT, BoundedTextField, clip
from tests.factories import StartupFactory

OUR_APPS = {"accounts", "programs", "applicants", "reviews", "adoption", "outbox", "notifications"}
# Written by the outbox from a template and event data, never typed by anyone.
MACHINE_WRITTEN = {"outbox.OutboxMessage.body", "outbox.OutboxMessage.last_error"}


def free_text_fields() -> list[str]:
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    ]


@pytest.mark.parametrize("name", sorted(set(free_text_fields()) - MACHINE_WRITTEN))
def test_every_free_text_field_has_a_length_limit(name):
    label, field_name = name.rsplit(".", 1)

    field = apps.get_model(label)._meta.get_field(field_name)

    assert isinstance(field, BoundedTextField)
    assert 0 < field.max_length <= 2 * LONG_TEXT


@pytest.mark.django_db
def test_bounded_text_over_its_limit_is_a_validation_error_naming_the_field():
    startup = StartupFactory.build(description="x" * (LONG_TEXT + 1))

    with pytest.raises(ValidationError) as raised:
        startup.full_clean()

    assert list(raised.value.message_dict) == ["description"]


@pytest.mark.django_db
def test_bounded_text_at_its_limit_is_valid():
    startup = StartupFactory.build(description="é" * LONG_TEXT)

    startup.full_clean()


@pytest.mark.django_db
def test_bounded_text_refuses_text_postgresql_cannot_store():
    startup = StartupFactory.build(description="a\x00b")

    with pytest.raises(ValidationError) as raised:
        startup.full_clean()

    assert list(raised.value.message_dict) == ["description"]


@pytest.mark.django_db
@pytest.mark.postgres
def test_bounded_text_column_refuses_text_over_its_limit():
    startup = StartupFactory()

    with pytest.raises(DataError), transaction.atomic():
        type(startup).objects.filter(pk=startup.pk).update(description="x" * (LONG_TEXT + 1))


@pytest.mark.parametrize(("text", "clipped"), [("abcdef", "abcd…"), ("abcde", "abcde"), ("", "")])
def test_clip_cuts_text_over_the_limit_with_an_ellipsis(text, clipped):
    assert clip(text, 5) == clipped
