"""Events other apps listen to. Receivers run inside the sender's transaction,
so what they write (an outbox row, say) commits or rolls back with the event."""

from django.dispatch import Signal

# application, from_status, to_status, actor, reason
application_status_changed = Signal()
# invitation (its link's token is derived from it when needed: Invitation.make_token)
invitation_created = Signal()
