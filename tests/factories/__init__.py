from tests.factories.accounts import UserFactory
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
    "ApplicationFactory",
    "AssignmentFactory",
    "AttachmentFactory",
    "BenefitFactory",
    "CohortFactory",
    "ConflictOfInterestFactory",
    "CriterionFactory",
    "DecisionFactory",
    "EligibilityRuleFactory",
    "EmailTemplateFactory",
    "InvitationFactory",
    "OfferFactory",
    "OutboxMessageFactory",
    "ProgramFactory",
    "ProgramMembershipFactory",
    "QuestionFactory",
    "ReviewFactory",
    "StartupFactory",
    "StartupMemberFactory",
    "UserFactory",
]
