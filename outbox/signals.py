"""What the engine tells the apps above it. Sent inside the engine's
transaction, so a listener's outbox row commits with the change."""

from django.dispatch import Signal

# endpoint: a webhook endpoint failed too many times in a row and was switched off
endpoint_disabled = Signal()
