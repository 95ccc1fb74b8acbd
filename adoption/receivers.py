"""What adoption does when other apps' events happen."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from adoption import rules, services
from applicants.signals import offer_accepted


@receiver(offer_accepted, dispatch_uid="adoption.schedule_benefits")
def schedule_benefits(sender, application, actor=None, **kwargs) -> None:
    services.disbursement_schedule_create(application=application, actor=actor)


@receiver(user_logged_in, dispatch_uid="adoption.remember_nav")
def remember_nav(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        rules.remember_nav(request.session, user)
