import factory
from django.utils import timezone

from notifications.models import EmailTemplate
from outbox.models import OutboxMessage


class EmailTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTemplate

    event = "application_submitted"
    language = "en"
    program = None
    subject = "{startup} applied to {program}"
    body = "Hello {recipient_name}, {startup} applied to {program} ({round})."


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    event = "application_submitted"
    dedup_key = factory.Sequence(lambda n: f"test:message:{n}")
    to_email = factory.Sequence(lambda n: f"recipient{n}@example.com")
    language = "en"
    subject = factory.Sequence(lambda n: f"Message {n}")
    body = "Hello."
    next_attempt_at = factory.LazyFunction(timezone.now)
