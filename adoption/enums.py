from django.db import models


class Modality(models.TextChoices):
    TEXT = "text", "Text"
    VISION = "vision", "Text and images"
    SAFETY = "safety", "Safety classifier"


class Environment(models.TextChoices):
    SELF_HOSTED = "self_hosted", "Self-hosted"
    CLOUD = "cloud", "Cloud provider"
    ON_DEVICE = "on_device", "On-device"


class DeploymentStage(models.TextChoices):
    EXPLORING = "exploring", "Exploring"
    PROTOTYPE = "prototype", "Prototype"
    PILOT = "pilot", "Pilot"
    PRODUCTION = "production", "Production"
    RETIRED = "retired", "Retired"


D = DeploymentStage

# The only moves a deployment can make. A step back is allowed (a pilot that
# goes back to prototyping is a real thing); retired is the end.
DEPLOYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    D.EXPLORING: frozenset({D.PROTOTYPE, D.RETIRED}),
    D.PROTOTYPE: frozenset({D.PILOT, D.EXPLORING, D.RETIRED}),
    D.PILOT: frozenset({D.PRODUCTION, D.PROTOTYPE, D.RETIRED}),
    D.PRODUCTION: frozenset({D.PILOT, D.RETIRED}),
    D.RETIRED: frozenset(),
}
ACTIVE_STAGES = frozenset(stage for stage in D.values if stage != D.RETIRED)


class DisbursementStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


P = DisbursementStatus

DISBURSEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    P.SCHEDULED: frozenset({P.APPROVED, P.CANCELLED}),
    P.APPROVED: frozenset({P.PAID, P.SCHEDULED, P.CANCELLED}),
    P.PAID: frozenset(),
    P.CANCELLED: frozenset(),
}
