import pytest
from django.core.exceptions import ValidationError

from notifications import events, selectors, services
from notifications.models import EmailTemplate
from tests.factories import EmailTemplateFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_template_with_unknown_placeholder_is_refused():
    template = EmailTemplateFactory.build(subject="About {startup_name}")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert error.value.message_dict == {
        "subject": [
            "Unknown placeholder {startup_name}. This event offers: {dashboard_url}, {decision_date}, "
            "{program}, {recipient_name}, {round}, {startup}."
        ]
    }


def test_template_with_syntax_error_is_refused():
    template = EmailTemplateFactory.build(body="Hello {recipient_name")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert list(error.value.message_dict) == ["body"]
    assert error.value.message_dict["body"] == ["A { is never closed. Write {{ or }} for a literal brace."]


def test_template_for_unknown_event_is_refused():
    template = EmailTemplateFactory.build(event="no_such_event")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert list(error.value.message_dict) == ["event"]


def test_template_with_valid_placeholders_passes():
    template = EmailTemplateFactory.build(event="application_submitted", language="fr", subject="{startup}")

    template.full_clean(validate_constraints=False)


def test_every_registered_event_ships_english_and_french():
    assert {event.key: sorted(event.defaults) for event in events.EVENTS.values()} == {
        key: ["en", "fr"] for key in events.EVENTS
    }


def test_seed_defaults_twice_creates_each_template_once():
    EmailTemplate.objects.all().delete()
    services.templates_seed_defaults()

    created_again = services.templates_seed_defaults()

    assert created_again == 0
    assert EmailTemplate.objects.count() == 2 * len(events.EVENTS)


def test_seed_defaults_keeps_an_edited_template():
    EmailTemplate.objects.all().delete()
    services.templates_seed_defaults()
    EmailTemplate.objects.filter(event="application_submitted", language="en").update(subject="Edited {startup}")

    services.templates_seed_defaults()

    assert EmailTemplate.objects.get(event="application_submitted", language="en").subject == "Edited {startup}"


def test_template_texts_prefers_override_then_language_then_english():
    EmailTemplate.objects.all().delete()
    program = ProgramFactory()
    EmailTemplateFactory(language="en", subject="default en")
    EmailTemplateFactory(language="fr", subject="default fr")
    EmailTemplateFactory(language="en", program=program, subject="override en")

    texts = selectors.template_texts(event="application_submitted", program=program, languages=["en", "fr"])

    assert {language: subject for language, (subject, _) in texts.items()} == {"en": "override en", "fr": "default fr"}


def test_template_texts_falls_back_to_shipped_text_without_rows():
    EmailTemplate.objects.all().delete()

    texts = selectors.template_texts(event="application_submitted", program=None, languages=["fr"])

    assert texts == {"fr": events.APPLICATION_SUBMITTED.defaults["fr"]}


def test_preview_fills_sample_values():
    subject, _ = services.template_preview(
        event="application_submitted", subject="{startup} / {program}", body="{round}"
    )

    assert subject == "Acme Vision / Llama for Startups"
