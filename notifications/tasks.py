from celery import shared_task

from notifications import services


@shared_task(name="notifications.send_manager_digests")
def send_manager_digests() -> int:
    return services.digests_create()
