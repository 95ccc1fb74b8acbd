"""Writes for the e-mail catalog: templates, the e-mails each event writes to
the outbox (which sends them), and the managers' digest."""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation

from accounts.models import User
from notifications import events, rendering, selectors
from notifications.models import EmailTemplate
from outbox import services as outbox_services
from outbox.errors import MessageObsolete
from outbox.models import OutboxMessage
from programs.models import Program


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = events.DEFAULT_LANGUAGE
    user: User | None = None
    name: str = ""

    @classmethod
    def for_user(cls, user: User) -> "Recipient":
        return cls(email=user.email, language=user.language, user=user, name=user.get_full_name())


@dataclass(frozen=True)
class Draft:
    """One message to write: who gets it, the placeholder values, and the key
    that makes writing it twice a no-op. ``context`` is what the event's
    ``at_send`` placeholders are built from when the message is sent (ids,
    never a credential)."""

    recipient: Recipient
    values: Mapping[str, str]
    dedup_key: str
    context: Mapping[str, Any] = field(default_factory=dict)


def date_for(value: datetime.date | datetime.datetime | None, *, language: str, default: str = "") -> str:
    """A date as a reader of ``language`` writes it."""
    if value is None:
        return default
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def month_for(value: datetime.date, *, language: str) -> str:
    """A month as a reader of ``language`` names it: "May 2026", "mai 2026"."""
    with translation.override(language):
        return formats.date_format(value, "F Y")


def one_line(text: str) -> str:
    # Headers cannot hold newlines; a value with one would otherwise break the subject.
    return " ".join(text.split())


# --- Templates ------------------------------------------------------------------


def templates_seed_defaults(*, using: str = "default") -> int:
    """Create the shipped template of every registered event and language that
    has none yet. Never touches a template an admin edited. Returns how many it made."""
    existing = set(EmailTemplate.objects.using(using).filter(program__isnull=True).values_list("event", "language"))
    missing = [
        EmailTemplate(event=event.key, language=language, subject=subject, body=body)
        for event in events.EVENTS.values()
        for language, (subject, body) in event.defaults.items()
        if (event.key, language) not in existing
    ]
    EmailTemplate.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def template_preview(*, event: str, subject: str, body: str) -> tuple[str, str]:
    """Render a template with the event's sample values (raises ``TemplateSyntaxError``)."""
    sample = events.get(event).sample
    return rendering.render(subject, sample), rendering.render(body, sample)


# --- Writing messages -------------------------------------------------------------


def messages_create(*, event: str, program: Program | None, drafts: Sequence[Draft]) -> list[int]:
    """Render and write one outbox e-mail per draft; the outbox sends them after commit.

    Call inside the transaction of the event (signal receivers are): a rollback
    takes the messages with it. A draft whose ``dedup_key`` exists already is
    skipped (``ON CONFLICT DO NOTHING``), so a repeated event writes nothing new.
    Returns the ids of the event's messages still waiting to be sent.
    """
    if not drafts:
        return []
    spec = events.get(event)
    texts = selectors.template_texts(
        event=event, program=program, languages={draft.recipient.language for draft in drafts}
    )
    now = timezone.now()
    kept = spec.at_send_names
    rows = []
    for draft in drafts:
        subject, body = texts[draft.recipient.language]
        values = {name: draft.values.get(name, "") for name in spec.placeholder_names if name not in kept}
        if kept:
            subject, body = rendering.render_except(subject, values, kept), rendering.render_except(body, values, kept)
        else:
            subject, body = rendering.render(subject, values), rendering.render(body, values)
        rows.append(
            OutboxMessage(
                event=event,
                dedup_key=draft.dedup_key,
                program=program,
                recipient=draft.recipient.user,
                to_email=draft.recipient.email,
                language=draft.recipient.language,
                subject=one_line(subject)[:300],
                body=body,
                context=dict(draft.context) if kept else None,
                next_attempt_at=now,
            )
        )
    return outbox_services.messages_write(rows=rows)


def email_finish(event: str, subject: str, body: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Fill the placeholders ``event`` builds when its e-mail is sent (links
    carrying a credential) from the message's context; raises
    ``MessageObsolete`` when there is nothing left to send."""
    build = events.SEND_TIME_VALUES.get(event)
    if build is None:
        raise MessageObsolete(f"Nothing builds the links of {event!r} e-mails any more.")
    values = build(context)
    return one_line(rendering.render(subject, values)), rendering.render(body, values)


def manager_drafts(
    program: Program, *, key: Callable[[int], str], values: Callable[[Recipient], dict[str, str]]
) -> list[Draft]:
    """One draft per active manager of ``program``, each in the manager's
    language; ``key`` makes the dedup key from the manager's user id."""
    drafts = []
    for membership in selectors.program_managers(program=program):
        recipient = Recipient.for_user(membership.user)
        drafts.append(
            Draft(
                recipient=recipient,
                values={"recipient_name": recipient.name, "program": program.name, **values(recipient)},
                dedup_key=key(membership.user_id),
            )
        )
    return drafts


# --- Digest -------------------------------------------------------------------------


def digests_create(*, now: datetime.datetime | None = None) -> int:
    """Write the day's digest for each manager of each program with news in the
    last 24 hours. Running it again the same day writes nothing new (the key
    names the program, the manager and the day). Returns how many it wrote."""
    from notifications import digest

    now = now or timezone.now()
    since = now - datetime.timedelta(days=1)
    day = timezone.localdate(now)
    written = 0
    for program in selectors.programs_with_managers():
        sections = digest.digest_sections(program, since=since, until=now)
        if not sections:
            continue
        drafts = _digest_drafts(program, sections=sections, day=day)
        with transaction.atomic():
            written += len(messages_create(event=events.MANAGER_DIGEST.key, program=program, drafts=drafts))
    return written


def _digest_drafts(program: Program, *, sections: Any, day: datetime.date) -> list[Draft]:
    from notifications import digest

    return manager_drafts(
        program,
        key=lambda user_id: f"manager_digest:program:{program.pk}:user:{user_id}:{day.isoformat()}",
        values=lambda recipient: {
            "date": date_for(day, language=recipient.language),
            "summary": digest.summary_text(sections, language=recipient.language),
        },
    )
