"""Events of the review flow. Like ``applicants.signals``, they are sent inside
the transaction that causes them, so a listener's outbox row commits with it."""

from django.dispatch import Signal

# assignments: reviewers were given applications to review (one send per
# assignment run or manual assignment, so listeners can write one message per reviewer)
review_assigned = Signal()
# assignment: the review is past its due date (at most once a day per assignment)
review_overdue = Signal()
# offer: a place was offered to a startup
offer_made = Signal()
# offer: the offer runs out soon and has not been answered (sent once)
offer_expiring = Signal()
# application, actor: the startup took up its offer of a place (the benefits
# schedule starts from it)
offer_accepted = Signal()
