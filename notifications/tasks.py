from celery import shared_task

from notifications import services


@shared_task(name="notifications.send_messages", acks_late=True)
def send_messages(message_ids: list[int]) -> dict[str, int]:
    """Send the given outbox messages. Safe to run twice or late: only the
    messages that are still due get claimed, and each by one worker."""
    report = services.messages_send(ids=message_ids)
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(name="notifications.send_manager_digests")
def send_manager_digests() -> int:
    return services.digests_create()
