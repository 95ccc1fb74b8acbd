"""What adoption does when other apps' events happen."""

from django.dispatch import receiver

from adoption import services
from reviews.signals import offer_accepted


@receiver(offer_accepted, dispatch_uid="adoption.schedule_benefits")
def schedule_benefits(sender, application, actor=None, **kwargs) -> None:
    services.disbursement_schedule_create(application=application, actor=actor)
