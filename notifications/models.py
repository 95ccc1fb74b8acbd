from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from common.fields import LONG_TEXT, BoundedTextField
from notifications import events, rendering
from programs.models import Program


class EmailTemplate(models.Model):
    """The subject and body of one event's e-mail in one language, for every
    program (``program`` empty) or as one program's override."""

    # Not a choices field: the catalog lives in code (notifications.events) and
    # grows with each feature; clean() and the admin form check the key.
    event = models.CharField(max_length=64)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_templates",
        help_text="Leave empty for the default every program uses.",
    )
    subject = models.CharField(max_length=300)
    body = BoundedTextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "program", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"],
                condition=Q(program__isnull=True),
                name="notifications_template_one_default",
            ),
            models.UniqueConstraint(
                fields=["event", "language", "program"],
                condition=Q(program__isnull=False),
                name="notifications_template_one_override",
            ),
        ]

    def __str__(self) -> str:
        scope = self.program.name if self.program is not None else "default"
        return f"{self.event} ({self.language}, {scope})"

    def clean(self) -> None:
        super().clean()
        event = events.EVENTS.get(self.event)
        if event is None:
            raise ValidationError({"event": f"Unknown event {self.event!r}."})
        errors = {}
        for name in ("subject", "body"):
            try:
                rendering.check(getattr(self, name), event.placeholder_names)
            except rendering.TemplateSyntaxError as error:
                errors[name] = str(error)
        if "\n" in self.subject or "\r" in self.subject:
            errors.setdefault("subject", "A subject is one line.")
        if errors:
            raise ValidationError(errors)
