from tests.factories.accounts import UserFactory
from tests.factories.adoption import (
    AIModelFactory,
    ApiKeyFactory,
    CheckInFactory,
    DeploymentFactory,
    MilestoneFactory,
    UsageRecordFactory,
)
from tests.factories.applicants import (
    ApplicationFactory,
    AttachmentFactory,
    InvitationFactory,
    StartupFactory,
    StartupMemberFactory,
)
from tests.factories.notifications import EmailTemplateFactory, OutboxMessageFactory
from tests.factories.programs import (
    BenefitFactory,
    CohortFactory,
    CriterionFactory,
    EligibilityRuleFactory,
    ProgramFactory,
    ProgramMembershipFactory,
    QuestionFactory,
)
from tests.factories.reviews import (
    AssignmentFactory,
    ConflictOfInterestFactory,
    DecisionFactory,
    OfferFactory,
    ReviewFactory,
)

__all__ = [
    "AIModelFactory",
    "ApiKeyFactory",
    "ApplicationFactory",
    "AssignmentFactory",
    "AttachmentFactory",
    "BenefitFactory",
    "CheckInFactory",
    "CohortFactory",
    "ConflictOfInterestFactory",
    "CriterionFactory",
    "DecisionFactory",
    "DeploymentFactory",
    "EligibilityRuleFactory",
    "EmailTemplateFactory",
    "InvitationFactory",
    "MilestoneFactory",
    "OfferFactory",
    "OutboxMessageFactory",
    "ProgramFactory",
    "ProgramMembershipFactory",
    "QuestionFactory",
    "ReviewFactory",
    "StartupFactory",
    "StartupMemberFactory",
    "UsageRecordFactory",
    "UserFactory",
]
