"""Events other apps listen to (the notifications app sends the e-mails).
Receivers run inside the sender's transaction, so what they write commits or
rolls back with the event."""

from django.dispatch import Signal

# signup: someone signed up with an address that has no account; the e-mail
# to it carries the link that creates the account (built when it is sent)
signup_requested = Signal()
# user: someone signed up with the address of this existing account; sign-up
# answers them as for a new address, so only this e-mail to the owner tells
signup_attempted = Signal()
