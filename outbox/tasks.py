from celery import shared_task

from outbox import services


@shared_task(name="outbox.send_messages", acks_late=True)
def send_messages(message_ids: list[int]) -> dict[str, int]:
    """Send the given outbox messages. Safe to run twice or late: only the
    messages that are still due get claimed, and each by one worker."""
    report = services.messages_send(ids=message_ids)
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@shared_task(name="outbox.sweep_outbox")
def sweep_outbox() -> int:
    return services.outbox_sweep()
