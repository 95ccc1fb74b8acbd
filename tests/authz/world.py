"""One small world with an object for every route and a person for every role.

Built through the real services so that every row is in a state the product
can reach: an application in review assigned to a reviewer, a draft with a
file, an accepted application with an offer, a pending invitation.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from adoption import services as adoption_services
from adoption.enums import Environment
from adoption.models import AIModel, ApiKey, CheckIn, Deployment, Disbursement, Milestone
from applicants import services as applicants_services
from applicants.enums import ApplicationStatus, MemberRole
from applicants.models import Application, Attachment, Invitation, StartupMember
from notifications.webhooks import EVENT_TYPES
from outbox import services as outbox_services
from outbox.models import OutboxMessage, WebhookEndpoint
from programs.enums import ProgramRole, QuestionKind
from programs.models import Cohort
from reviews import services as reviews_services
from reviews.enums import DecisionKind
from reviews.models import Assignment, Offer
from tests.factories import (
    AIModelFactory,
    ApplicationFactory,
    BenefitFactory,
    CheckInFactory,
    CohortFactory,
    CriterionFactory,
    InvitationFactory,
    ProgramFactory,
    ProgramMembershipFactory,
    QuestionFactory,
    StartupFactory,
    StartupMemberFactory,
    UserFactory,
)
from tests.factories.applicants import PDF_BYTES

ROLES = ("anonymous", "owner", "stranger", "reviewer", "other_reviewer", "manager", "other_manager")
SECRET_NAME = "Matrix Secret Startup"
INVITATION_TOKEN = "matrix-invitation-token"


@dataclass
class World:
    users: dict[str, User | None]
    cohort: Cohort
    in_review: Application
    draft: Application
    accepted: Application
    assignment: Assignment
    attachment: Attachment
    draft_attachment: Attachment
    offer: Offer
    deployment: Deployment
    api_key: ApiKey
    checkin: CheckIn
    milestone: Milestone
    payment: Disbursement
    invitation: Invitation
    webhook: WebhookEndpoint
    delivery: OutboxMessage
    owner_membership: StartupMember
    teammate_membership: StartupMember


def person(label: str) -> User:
    return UserFactory(email=f"{label}@{label.replace('_', '-')}.example", full_name=label.replace("_", " ").title())


def form(cohort: Cohort) -> None:
    QuestionFactory(cohort=cohort, key="summary", kind=QuestionKind.LONG_TEXT, required=True)
    QuestionFactory(cohort=cohort, key="deck", kind=QuestionKind.FILE)


def submitted(startup, cohort: Cohort, owner: User) -> Application:
    application = ApplicationFactory(startup=startup, cohort=cohort)
    applicants_services.application_save_answers(application=application, answers={"summary": "We build with Llama."})
    applicants_services.application_submit(application=application, user=owner)
    return application


def build_world() -> World:
    users = {role: person(role) for role in ROLES if role != "anonymous"}
    program = ProgramFactory(name="Matrix Program")
    CriterionFactory(program=program, name="Overall")
    other_program = ProgramFactory(name="Other Program")
    ProgramMembershipFactory(program=program, user=users["manager"], role=ProgramRole.MANAGER)
    ProgramMembershipFactory(program=program, user=users["reviewer"], role=ProgramRole.REVIEWER)
    ProgramMembershipFactory(program=program, user=users["other_reviewer"], role=ProgramRole.REVIEWER)
    ProgramMembershipFactory(program=other_program, user=users["other_manager"], role=ProgramRole.MANAGER)
    webhook, _ = outbox_services.endpoint_create(
        program_id=program.pk, url="http://127.0.0.1:9/hooks", events=list(EVENT_TYPES)
    )

    startup = StartupFactory(name=SECRET_NAME, website="https://matrix-secret.example")
    owner_membership = StartupMemberFactory(startup=startup, user=users["owner"], role=MemberRole.OWNER)
    teammate_membership = StartupMemberFactory(startup=startup, user=person("teammate"), role=MemberRole.MEMBER)
    StartupMemberFactory(startup=StartupFactory(name="Stranger Startup"), user=users["stranger"])

    cohort, draft_cohort, accepted_cohort = (CohortFactory(program=program) for _ in range(3))
    for each in (cohort, draft_cohort, accepted_cohort):
        form(each)

    in_review = submitted(startup, cohort, users["owner"])
    assignment = reviews_services.assignment_create(
        application=in_review, reviewer=users["reviewer"], actor=users["manager"]
    )
    attachment = Attachment.objects.create(
        application=in_review,
        question_key="deck",
        file=SimpleUploadedFile("secret-deck.pdf", PDF_BYTES),
        original_name="secret-deck.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )

    draft = ApplicationFactory(startup=startup, cohort=draft_cohort)
    draft_attachment = applicants_services.attachment_upload(
        application=draft,
        question_key="deck",
        uploaded=SimpleUploadedFile("draft-deck.pdf", PDF_BYTES),
        user=users["owner"],
    )

    accepted = submitted(startup, accepted_cohort, users["owner"])
    applicants_services.application_transition(
        application=accepted, to_status=ApplicationStatus.IN_REVIEW, actor=users["manager"]
    )
    reviews_services.decision_make(application=accepted, kind=DecisionKind.ACCEPT, actor=users["manager"])
    offer = Offer.objects.get(application=accepted)
    # A second accepted application whose offer was taken up: the adoption side.
    adopted_cohort = CohortFactory(program=program)
    form(adopted_cohort)
    adopted = submitted(startup, adopted_cohort, users["owner"])
    applicants_services.application_transition(
        application=adopted, to_status=ApplicationStatus.IN_REVIEW, actor=users["manager"]
    )
    reviews_services.decision_make(application=adopted, kind=DecisionKind.ACCEPT, actor=users["manager"])
    reviews_services.offer_accept(offer=Offer.objects.get(application=adopted), user=users["owner"])
    BenefitFactory(program=program)
    adoption_services.disbursement_schedule_create(application=adopted)
    model = AIModel.objects.first() or AIModelFactory()
    deployment = adoption_services.deployment_create(
        startup=startup,
        user=users["owner"],
        model=model,
        environment=Environment.SELF_HOSTED,
        use_case="Support",
        started_on=timezone.localdate(),
    )
    api_key, _ = adoption_services.api_key_create(startup=startup, user=users["owner"], name="CI")
    milestone = adoption_services.milestone_create(
        startup=startup, user=users["manager"], title="Launch", due_on=timezone.localdate()
    )

    invitation = InvitationFactory(startup=startup, email="invitee@elsewhere.example", token=INVITATION_TOKEN)
    return World(
        users={"anonymous": None, **users},
        cohort=cohort,
        in_review=in_review,
        draft=draft,
        accepted=accepted,
        assignment=assignment,
        attachment=attachment,
        draft_attachment=draft_attachment,
        offer=offer,
        deployment=deployment,
        api_key=api_key,
        checkin=CheckIn.objects.filter(startup=startup).first() or CheckInFactory(startup=startup),
        milestone=milestone,
        payment=Disbursement.objects.filter(startup=startup).first(),
        invitation=invitation,
        owner_membership=owner_membership,
        teammate_membership=teammate_membership,
        webhook=webhook,
        delivery=webhook.deliveries.order_by("pk").first(),
    )
