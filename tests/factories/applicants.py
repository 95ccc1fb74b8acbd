import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.enums import MemberRole
from applicants.models import Application, Attachment, Invitation, Startup, StartupMember
from common.tokens import hash_token

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class StartupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Startup

    name = factory.Sequence(lambda n: f"Startup {n}")
    website = factory.Sequence(lambda n: f"https://startup{n}.example")
    incorporation_country = "US"
    country = "US"
    total_funding_usd = 1_000_000
    developer_count = 3


class StartupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartupMember

    startup = factory.SubFactory(StartupFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = MemberRole.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ["token"]

    startup = factory.SubFactory(StartupFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = MemberRole.MEMBER
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft. Move it on with the services, never by setting status."""

    class Meta:
        model = Application

    startup = factory.SubFactory(StartupFactory)
    cohort = factory.SubFactory("tests.factories.programs.CohortFactory")
    answers = factory.LazyFunction(dict)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    question_key = "pitch_deck"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="deck.pdf"))
    original_name = "deck.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
