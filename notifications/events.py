"""The catalog of events that send e-mail.

Adding an event takes two steps: ``register(Event(...))`` here, naming its
placeholders (each with what it means and a sample for the admin's preview)
and its default English and French texts; then a receiver in
``notifications/receivers.py`` that builds the placeholder values and calls
``services.messages_create``. The defaults reach the database at the next
``migrate`` (and ``seed_demo``), where admins can edit them.

A placeholder whose value is a credential (a link that logs someone in or
lets them join a startup) is marked ``at_send``: the outbox row keeps it as a
placeholder, and the sending step asks the function registered with
``values_at_send`` for its value, so the credential is never stored.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from outbox.errors import MessageObsolete

__all__ = ["MessageObsolete"]  # raised by the send-time functions below

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str
    # Filled in when the e-mail is sent, never stored: see values_at_send.
    at_send: bool = False


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    description: str
    placeholders: tuple[Placeholder, ...]
    # language -> (subject, body); English is required, it is the last fallback.
    defaults: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from notifications import rendering

        if DEFAULT_LANGUAGE not in self.defaults:
            raise ValueError(f"event {self.key!r} needs default {DEFAULT_LANGUAGE!r} texts")
        for subject, body in self.defaults.values():
            rendering.check(subject, self.placeholder_names)
            rendering.check(body, self.placeholder_names)

    @property
    def placeholder_names(self) -> list[str]:
        return [placeholder.name for placeholder in self.placeholders]

    @property
    def at_send_names(self) -> list[str]:
        return [placeholder.name for placeholder in self.placeholders if placeholder.at_send]

    @property
    def sample(self) -> dict[str, str]:
        return {placeholder.name: placeholder.sample for placeholder in self.placeholders}


EVENTS: dict[str, Event] = {}


def register(event: Event) -> Event:
    if event.key in EVENTS:
        raise ValueError(f"event {event.key!r} is registered twice")
    EVENTS[event.key] = event
    return event


def get(key: str) -> Event:
    return EVENTS[key]


def choices() -> list[tuple[str, str]]:
    return sorted(((event.key, event.label) for event in EVENTS.values()), key=lambda pair: pair[1])


# Takes the message's context (ids, never a credential) and returns the values
# of the event's at_send placeholders.
SendTimeValues = Callable[[Mapping[str, Any]], Mapping[str, str]]
SEND_TIME_VALUES: dict[str, SendTimeValues] = {}


def values_at_send(event: Event) -> Callable[[SendTimeValues], SendTimeValues]:
    """Register the function that fills ``event``'s ``at_send`` placeholders
    when one of its messages is sent (and again at each retry)."""
    if not event.at_send_names:
        raise ValueError(f"event {event.key!r} has no placeholder filled at send time")

    def register_values(build: SendTimeValues) -> SendTimeValues:
        if event.key in SEND_TIME_VALUES:
            raise ValueError(f"event {event.key!r} has its send-time values twice")
        SEND_TIME_VALUES[event.key] = build
        return build

    return register_values


# --- Shared placeholders ----------------------------------------------------

RECIPIENT = Placeholder("recipient_name", "The name of the person the e-mail goes to.", "Fatima Founder")
STARTUP = Placeholder("startup", "The startup's name.", "Acme Vision")
PROGRAM = Placeholder("program", "The program's name.", "Llama for Startups")
ROUND = Placeholder("round", "The intake round's name.", "Spring 2026")
DASHBOARD_URL = Placeholder(
    "dashboard_url", "Where the startup follows its applications.", "https://runway.example/dashboard/"
)
APPLICATION = (RECIPIENT, STARTUP, PROGRAM, ROUND, DASHBOARD_URL)


# --- Intake -----------------------------------------------------------------

APPLICATION_SUBMITTED = register(
    Event(
        key="application_submitted",
        label="Application submitted",
        description="To every member of the startup, when its application is submitted.",
        placeholders=(
            *APPLICATION,
            Placeholder("decision_date", "When decisions are expected, or “to be announced”.", "15 June 2026"),
        ),
        defaults={
            "en": (
                "{startup}: your application to {program} is in",
                "Hello {recipient_name},\n\n"
                "{startup}'s application to {program} ({round}) has been submitted. "
                "Decisions are expected by {decision_date}.\n\n"
                "Follow its progress at {dashboard_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{startup} : votre candidature à {program} est bien reçue",
                "Bonjour {recipient_name},\n\n"
                "La candidature de {startup} à {program} ({round}) a bien été envoyée. "
                "Les décisions sont attendues d'ici le {decision_date}.\n\n"
                "Suivez son avancement sur {dashboard_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

APPLICATION_INELIGIBLE = register(
    Event(
        key="application_ineligible",
        label="Application ineligible",
        description="To every member of the startup, when its submission fails a hard eligibility rule.",
        placeholders=(
            *APPLICATION,
            Placeholder(
                "reasons",
                "The rules the startup does not meet, one per line.",
                "- Startups must be incorporated in the United States.",
            ),
        ),
        defaults={
            "en": (
                "{startup} is not eligible for {program}",
                "Hello {recipient_name},\n\n"
                "Thank you for applying to {program} ({round}). "
                "Unfortunately {startup} does not meet its eligibility rules:\n\n"
                "{reasons}\n\n"
                "Your application is kept at {dashboard_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{startup} n'est pas éligible à {program}",
                "Bonjour {recipient_name},\n\n"
                "Merci d'avoir candidaté à {program} ({round}). "
                "Malheureusement, {startup} ne remplit pas ses conditions d'éligibilité :\n\n"
                "{reasons}\n\n"
                "Votre candidature reste consultable sur {dashboard_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

APPLICATION_ACCEPTED = register(
    Event(
        key="application_accepted",
        label="Application accepted",
        description="To every member of the startup, when a manager accepts its application.",
        placeholders=APPLICATION,
        defaults={
            "en": (
                "Welcome to {program}, {startup}!",
                "Hello {recipient_name},\n\n"
                "Congratulations: {startup} has been accepted into {program} ({round}).\n\n"
                "The next steps are waiting for you at {dashboard_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "Bienvenue dans {program}, {startup} !",
                "Bonjour {recipient_name},\n\n"
                "Félicitations : {startup} est acceptée dans {program} ({round}).\n\n"
                "Les prochaines étapes vous attendent sur {dashboard_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

APPLICATION_WAITLISTED = register(
    Event(
        key="application_waitlisted",
        label="Application waitlisted",
        description="To every member of the startup, when a manager puts its application on the waiting list.",
        placeholders=APPLICATION,
        defaults={
            "en": (
                "{startup} is on the waiting list for {program}",
                "Hello {recipient_name},\n\n"
                "{program} ({round}) received more strong applications than it has places. "
                "{startup} is on the waiting list: we will write again if a place opens.\n\n"
                "{dashboard_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{startup} est sur liste d'attente pour {program}",
                "Bonjour {recipient_name},\n\n"
                "{program} ({round}) a reçu plus de bonnes candidatures que de places. "
                "{startup} est sur liste d'attente : nous vous écrirons si une place se libère.\n\n"
                "{dashboard_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

APPLICATION_REJECTED = register(
    Event(
        key="application_rejected",
        label="Application rejected",
        description="To every member of the startup, when a manager declines its application.",
        placeholders=APPLICATION,
        defaults={
            "en": (
                "Your application to {program}",
                "Hello {recipient_name},\n\n"
                "Thank you for applying to {program} ({round}). After careful review we are not able "
                "to offer {startup} a place this time.\n\n"
                "{dashboard_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "Votre candidature à {program}",
                "Bonjour {recipient_name},\n\n"
                "Merci d'avoir candidaté à {program} ({round}). Après un examen attentif, nous ne "
                "pouvons pas offrir de place à {startup} cette fois-ci.\n\n"
                "{dashboard_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)


# --- Accounts -----------------------------------------------------------------

SIGNUP_CONFIRM = register(
    Event(
        key="signup_confirm",
        label="Sign-up: confirm the address",
        description="To the address someone signed up with, when it has no account yet: the link that creates it.",
        placeholders=(
            RECIPIENT,
            Placeholder(
                "confirm_url",
                "The link that creates the account and logs in.",
                "https://runway.example/accounts/signup/confirm/…/",
                at_send=True,
            ),
            Placeholder("expires_on", "The last day the link works.", "12 May 2026"),
        ),
        defaults={
            "en": (
                "Confirm your e-mail address to finish signing up to Runway",
                "Hello {recipient_name},\n\n"
                "To finish creating your Runway account, confirm your e-mail address with this link "
                "(it works until {expires_on}):\n{confirm_url}\n\n"
                "If you did not sign up, ignore this e-mail: no account is created without it.",
            ),
            "fr": (
                "Confirmez votre adresse pour finir votre inscription sur Runway",
                "Bonjour {recipient_name},\n\n"
                "Pour finir de créer votre compte Runway, confirmez votre adresse e-mail avec ce lien "
                "(valable jusqu'au {expires_on}) :\n{confirm_url}\n\n"
                "Si vous ne vous êtes pas inscrit, ignorez ce message : aucun compte n'est créé sans lui.",
            ),
        },
    )
)

SIGNUP_EXISTING = register(
    Event(
        key="signup_existing",
        label="Sign-up: the address has an account",
        description="To the owner of an account, when someone signs up with its address (at most once an hour). "
        "Sign-up answers as for a new address, so that it tells nobody which addresses have accounts.",
        placeholders=(
            RECIPIENT,
            Placeholder("login_url", "The log-in page.", "https://runway.example/accounts/login/"),
            Placeholder(
                "reset_url", "The page to choose a new password.", "https://runway.example/accounts/password-reset/"
            ),
        ),
        defaults={
            "en": (
                "You already have a Runway account",
                "Hello {recipient_name},\n\n"
                "Someone, perhaps you, tried to create a Runway account with this e-mail address. "
                "You already have one.\n\n"
                "Log in here: {login_url}\n"
                "Forgot your password? Choose a new one here: {reset_url}\n\n"
                "If it was not you, ignore this e-mail: nothing has changed on your account.",
            ),
            "fr": (
                "Vous avez déjà un compte Runway",
                "Bonjour {recipient_name},\n\n"
                "Quelqu'un, peut-être vous, a essayé de créer un compte Runway avec cette adresse e-mail. "
                "Vous en avez déjà un.\n\n"
                "Connectez-vous ici : {login_url}\n"
                "Mot de passe oublié ? Choisissez-en un nouveau ici : {reset_url}\n\n"
                "Si ce n'était pas vous, ignorez ce message : rien n'a changé sur votre compte.",
            ),
        },
    )
)


# --- Startup members ----------------------------------------------------------

MEMBER_INVITED = register(
    Event(
        key="member_invited",
        label="Member invited",
        description="To the invited address, when a startup member invites someone to join.",
        placeholders=(
            STARTUP,
            Placeholder("inviter_name", "Who sent the invitation.", "Fatima Founder"),
            Placeholder("role", "The role offered (owner or member).", "Member"),
            Placeholder(
                "accept_url",
                "The link that accepts the invitation.",
                "https://runway.example/invitations/…/",
                at_send=True,
            ),
            Placeholder("expires_on", "The last day the link works.", "12 May 2026"),
        ),
        defaults={
            "en": (
                "{inviter_name} invited you to join {startup} on Runway",
                "Hello,\n\n"
                "{inviter_name} invited you to join {startup} on Runway as {role}.\n\n"
                "Accept the invitation here (the link works until {expires_on}):\n{accept_url}\n\n"
                "If you did not expect this, you can ignore this e-mail.",
            ),
            "fr": (
                "{inviter_name} vous invite à rejoindre {startup} sur Runway",
                "Bonjour,\n\n"
                "{inviter_name} vous invite à rejoindre {startup} sur Runway ({role}).\n\n"
                "Acceptez l'invitation ici (le lien est valable jusqu'au {expires_on}) :\n{accept_url}\n\n"
                "Si vous n'attendiez pas cette invitation, ignorez simplement ce message.",
            ),
        },
    )
)


# --- Program managers -------------------------------------------------------------

MANAGER_DIGEST = register(
    Event(
        key="manager_digest",
        label="Daily digest for managers",
        description="Each morning to each manager of a program, when there is something to report.",
        placeholders=(
            RECIPIENT,
            PROGRAM,
            Placeholder("date", "The day the digest covers.", "3 May 2026"),
            Placeholder(
                "summary",
                "The digest's sections, each a heading and its lines.",
                "New submissions (2)\n- Acme Vision (Spring 2026)\n- Ledgerly (Spring 2026)",
            ),
        ),
        defaults={
            "en": (
                "{program}: your daily digest for {date}",
                "Hello {recipient_name},\n\nHere is what happened in {program}:\n\n{summary}\n\nThe Runway team",
            ),
            "fr": (
                "{program} : votre résumé du {date}",
                "Bonjour {recipient_name},\n\nVoici les nouvelles de {program} :\n\n{summary}\n\nL'équipe Runway",
            ),
        },
    )
)


WEBHOOK_DISABLED = register(
    Event(
        key="webhook_disabled",
        label="Webhook endpoint switched off",
        description="To each manager of a program when one of its webhook endpoints failed too often in a row.",
        placeholders=(
            RECIPIENT,
            PROGRAM,
            Placeholder("endpoint_url", "The endpoint's URL.", "https://crm.example.com/hooks/runway"),
            Placeholder("failures", "How many attempts in a row failed.", "15"),
            Placeholder(
                "webhooks_url",
                "The page listing the program's endpoints.",
                "https://runway.example.com/manage/programs/llama/webhooks/",
            ),
        ),
        defaults={
            "en": (
                "{program}: a webhook endpoint was switched off",
                "Hello {recipient_name},\n\nThe webhook endpoint {endpoint_url} of {program} failed {failures} "
                "times in a row, so Runway stopped sending to it. Events are no longer delivered there.\n\n"
                "Once the receiver works again, switch the endpoint back on and replay what it missed: "
                "{webhooks_url}\n\nThe Runway team",
            ),
            "fr": (
                "{program} : un point de terminaison webhook a été désactivé",
                "Bonjour {recipient_name},\n\nLe point de terminaison webhook {endpoint_url} de {program} a échoué "
                "{failures} fois de suite : Runway a cessé de lui envoyer des événements.\n\n"
                "Une fois le récepteur rétabli, réactivez-le et rejouez ce qu'il a manqué : "
                "{webhooks_url}\n\nL'équipe Runway",
            ),
        },
    )
)

# --- Reviews ----------------------------------------------------------------

REVIEWER = (
    RECIPIENT,
    PROGRAM,
    ROUND,
    Placeholder("due_date", "When the reviews are due.", "30 June 2026"),
)

REVIEW_ASSIGNED = register(
    Event(
        key="review_assigned",
        label="Reviews assigned",
        description="To a reviewer, once per assignment run (or manual assignment) that gives them applications.",
        placeholders=(
            *REVIEWER,
            Placeholder("count", "How many applications were assigned in this run.", "12"),
            Placeholder("queue_url", "The reviewer's queue.", "https://runway.example/reviews/"),
        ),
        defaults={
            "en": (
                "{count} application(s) to review for {program}",
                "Hello {recipient_name},\n\n"
                "You have {count} new application(s) to review for {program} ({round}), due by {due_date}.\n\n"
                "Your queue: {queue_url}\n\n"
                "If you have a conflict of interest with a startup, declare it from the review page.\n\n"
                "The {program} team",
            ),
            "fr": (
                "{count} candidature(s) à évaluer pour {program}",
                "Bonjour {recipient_name},\n\n"
                "Vous avez {count} nouvelle(s) candidature(s) à évaluer pour {program} ({round}), "
                "avant le {due_date}.\n\n"
                "Votre liste : {queue_url}\n\n"
                "En cas de conflit d'intérêts avec une startup, déclarez-le depuis la page d'évaluation.\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

REVIEW_OVERDUE = register(
    Event(
        key="review_overdue",
        label="Review overdue",
        description="To a reviewer whose review is past its due date (at most once a day per assignment).",
        placeholders=(
            *REVIEWER,
            Placeholder("review_url", "The review page.", "https://runway.example/reviews/assignments/42/"),
        ),
        defaults={
            "en": (
                "A review for {program} is overdue",
                "Hello {recipient_name},\n\n"
                "A review you were assigned for {program} ({round}) was due on {due_date}.\n\n"
                "Please finish it here: {review_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "Une évaluation pour {program} est en retard",
                "Bonjour {recipient_name},\n\n"
                "Une évaluation qui vous a été confiée pour {program} ({round}) était attendue le {due_date}.\n\n"
                "Vous pouvez la terminer ici : {review_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

OFFER_EXPIRING = register(
    Event(
        key="offer_expiring",
        label="Offer expiring",
        description="To every member of an accepted startup whose offer of a place runs out soon.",
        placeholders=(
            RECIPIENT,
            STARTUP,
            PROGRAM,
            ROUND,
            Placeholder("expires_on", "When the offer runs out.", "20 June 2026"),
            Placeholder(
                "offer_url", "Where the startup accepts or declines.", "https://runway.example/reviews/offers/7/"
            ),
        ),
        defaults={
            "en": (
                "{startup}: your place in {program} is waiting for your answer",
                "Hello {recipient_name},\n\n"
                "{startup} was offered a place in {program} ({round}). The offer runs out on {expires_on}.\n\n"
                "Accept or decline it here: {offer_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{startup} : votre place dans {program} attend votre réponse",
                "Bonjour {recipient_name},\n\n"
                "Une place dans {program} ({round}) a été proposée à {startup}. L'offre expire le {expires_on}.\n\n"
                "Acceptez-la ou déclinez-la ici : {offer_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)


# --- Adoption ---------------------------------------------------------------

CHECKIN_DUE = register(
    Event(
        key="checkin_due",
        label="Monthly check-in due",
        description="To every member of an accepted startup whose monthly check-in falls due.",
        placeholders=(
            RECIPIENT,
            STARTUP,
            PROGRAM,
            Placeholder("month", "The month the check-in reports on.", "May 2026"),
            Placeholder("due_date", "When the check-in is due.", "5 June 2026"),
            Placeholder("checkin_url", "Where to file it.", "https://runway.example/adoption/startups/3/check-ins/9/"),
        ),
        defaults={
            "en": (
                "{startup}: your {month} check-in for {program} is due",
                "Hello {recipient_name},\n\n"
                "Please tell us how {month} went for {startup}: progress, blockers and the numbers you track. "
                "It is due by {due_date}.\n\n"
                "File it here: {checkin_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{startup} : votre point mensuel de {month} pour {program} est attendu",
                "Bonjour {recipient_name},\n\n"
                "Dites-nous comment s'est passé {month} pour {startup} : avancées, blocages et indicateurs suivis. "
                "Il est attendu d'ici le {due_date}.\n\n"
                "Remplissez-le ici : {checkin_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)

PAYMENT_MADE = register(
    Event(
        key="payment_made",
        label="Benefit payment made",
        description="To every member of an accepted startup, when one of its benefit payments is marked paid.",
        placeholders=(
            RECIPIENT,
            STARTUP,
            PROGRAM,
            Placeholder("amount", "The amount paid, with its currency.", "USD 6,000.00"),
            Placeholder("month", "The month the payment is for.", "May 2026"),
            Placeholder(
                "payments_url", "The startup's payments page.", "https://runway.example/adoption/startups/3/payments/"
            ),
        ),
        defaults={
            "en": (
                "{program} has paid {startup} {amount}",
                "Hello {recipient_name},\n\n"
                "{program} has paid {amount} to {startup} for {month}.\n\n"
                "Your payment schedule: {payments_url}\n\n"
                "The {program} team",
            ),
            "fr": (
                "{program} a versé {amount} à {startup}",
                "Bonjour {recipient_name},\n\n"
                "{program} a versé {amount} à {startup} pour {month}.\n\n"
                "Votre échéancier : {payments_url}\n\n"
                "L'équipe {program}",
            ),
        },
    )
)
