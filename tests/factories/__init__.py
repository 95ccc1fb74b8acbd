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
from tests.factories.programs import (
    BenefitFactory,
    CohortFactory,
    CriterionFactory,
    EligibilityRuleFactory,
    ProgramFactory,
    ProgramMembershipFactory,
    QuestionFactory,
)

__all__ = [
    "AIModelFactory",
    "ApiKeyFactory",
    "ApplicationFactory",
    "AttachmentFactory",
    "BenefitFactory",
    "CheckInFactory",
    "CohortFactory",
    "CriterionFactory",
    "DeploymentFactory",
    "EligibilityRuleFactory",
    "InvitationFactory",
    "MilestoneFactory",
    "ProgramFactory",
    "ProgramMembershipFactory",
    "QuestionFactory",
    "StartupFactory",
    "StartupMemberFactory",
    "UsageRecordFactory",
    "UserFactory",
]
