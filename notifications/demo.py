"""Demo data for notifications: the default e-mail templates. Idempotent."""

from notifications.services import templates_seed_defaults


def seed_templates() -> int:
    return templates_seed_defaults()
