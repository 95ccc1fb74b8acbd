"""Development on a laptop: the embedded defaults, with DEBUG on unless told otherwise."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = env_bool("DEBUG", default=True)
# Webhook receivers under development run on this machine.
RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=True)

for folder in ("broker/queue", "broker/control", "broker/processed", "media"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
