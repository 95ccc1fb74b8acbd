"""Events other apps listen to (the notifications app sends the messages).
Receivers run inside the sender's transaction, so what they write commits or
rolls back with the event."""

from django.dispatch import Signal

# checkin: a monthly check-in that falls due and is not filed yet (sent once per check-in)
checkin_due = Signal()
# disbursement: a benefit payment that was just marked paid
payment_made = Signal()
