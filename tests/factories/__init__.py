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

__all__ = [
    "ApplicationFactory",
    "AttachmentFactory",
    "BenefitFactory",
    "CohortFactory",
    "CriterionFactory",
    "EligibilityRuleFactory",
    "EmailTemplateFactory",
    "InvitationFactory",
    "OutboxMessageFactory",
    "ProgramFactory",
    "ProgramMembershipFactory",
    "QuestionFactory",
    "StartupFactory",
    "StartupMemberFactory",
    "UserFactory",
]
