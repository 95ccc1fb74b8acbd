from tests.factories.accounts import UserFactory
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
    "ApplicationFactory",
    "AttachmentFactory",
    "BenefitFactory",
    "CohortFactory",
    "CriterionFactory",
    "EligibilityRuleFactory",
    "InvitationFactory",
    "ProgramFactory",
    "ProgramMembershipFactory",
    "QuestionFactory",
    "StartupFactory",
    "StartupMemberFactory",
    "UserFactory",
]
