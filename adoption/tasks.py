from celery import shared_task

from adoption import services
from adoption.rollups import rollups_rebuild


@shared_task(name="adoption.rebuild_rollups")
def rebuild_rollups() -> int:
    """Rebuild every roll-up from raw usage. Ingest keeps them current; this
    repairs anything written around it (the admin, SQL). Idempotent."""
    return rollups_rebuild()


@shared_task(name="adoption.checkin_reminders")
def checkin_reminders() -> int:
    """Signal ``checkin_due`` once for each check-in falling due. Safe to rerun."""
    return services.checkins_send_reminders()
