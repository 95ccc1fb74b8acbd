import datetime

import factory
from django.utils import timezone

from adoption.enums import Environment, Modality
from adoption.models import AIModel, ApiKey, CheckIn, Deployment, Milestone, UsageRecord
from common.tokens import hash_token


class AIModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AIModel
        django_get_or_create = ["slug"]

    family = "Llama 3.1"
    name = factory.Sequence(lambda n: f"Llama Test {n}B")
    size = "8B"
    modality = Modality.TEXT
    slug = factory.Sequence(lambda n: f"llama-test-{n}b")
    order = factory.Sequence(lambda n: n)


class DeploymentFactory(factory.django.DjangoModelFactory):
    """An exploring deployment. Move it on with the service, never by setting stage."""

    class Meta:
        model = Deployment

    startup = factory.SubFactory("tests.factories.applicants.StartupFactory")
    model = factory.SubFactory(AIModelFactory)
    environment = Environment.SELF_HOSTED
    use_case = "Customer support assistant"
    started_on = factory.LazyFunction(lambda: timezone.now().date() - datetime.timedelta(days=30))


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """``key`` holds the raw key (the table keeps only its hash)."""

    class Meta:
        model = ApiKey
        exclude = ["key"]

    startup = factory.SubFactory("tests.factories.applicants.StartupFactory")
    name = factory.Sequence(lambda n: f"Key {n}")
    key = factory.Sequence(lambda n: f"rwk_test-key-{n:08d}-0123456789abcdefghijklmnop")
    prefix = factory.LazyAttribute(lambda o: o.key[:12])
    key_hash = factory.LazyAttribute(lambda o: hash_token(o.key))


class UsageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageRecord

    startup = factory.SubFactory("tests.factories.applicants.StartupFactory")
    model = factory.SubFactory(AIModelFactory)
    date = factory.Sequence(lambda n: timezone.now().date() - datetime.timedelta(days=n + 1))
    requests = 10
    input_tokens = 1000
    output_tokens = 500
    updated_at = factory.LazyFunction(timezone.now)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    startup = factory.SubFactory("tests.factories.applicants.StartupFactory")
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: timezone.now().date() + datetime.timedelta(days=30))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    application = factory.SubFactory("tests.factories.applicants.ApplicationFactory")
    startup = factory.LazyAttribute(lambda o: o.application.startup)
    month = factory.LazyFunction(lambda: timezone.now().date().replace(day=1))
    due_on = factory.LazyFunction(lambda: timezone.now().date() + datetime.timedelta(days=10))
