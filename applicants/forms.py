"""Forms for the startup portal.

The application form is rendered from the round's questions and its raw
values go to ``services.application_save_answers`` unchanged: the service, not
the form, decides what is valid, so the API and the portal agree.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from applicants.enums import MemberRole
from applicants.models import Attachment, Startup
from applicants.services import STARTUP_FIELDS
from common.errors import DomainError
from programs.enums import QuestionKind
from programs.models import Question


class StartupForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https", required=False, help_text="Starting with https://")

    class Meta:
        model = Startup
        fields = list(STARTUP_FIELDS)
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "developer_count": "People who write code for the product, full- or part-time.",
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices, initial=MemberRole.MEMBER)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The program's managers see this.",
    )


def add_domain_errors(form: forms.Form, error: DomainError) -> None:
    """Put a service's errors on the form: beside the field they name, else on top."""
    for name, messages in error.as_dict().items():
        form.add_error(name if name in form.fields else None, messages)


# --- The application form ----------------------------------------------------


@dataclass
class QuestionField:
    """One question as the form template renders it."""

    question: Question
    value: object = None
    errors: list[str] = field(default_factory=list)
    attachment: Attachment | None = None

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def input_id(self) -> str:
        return f"id_{self.question.key}"

    @property
    def is_file(self) -> bool:
        return self.question.kind == QuestionKind.FILE

    @property
    def selected(self) -> list[str]:
        """The chosen options of a multiple-choice question."""
        return self.value if isinstance(self.value, list) else []


def display_value(question: Question, value: object) -> object:
    """A saved answer as the widget shows it: yes/no as "yes"/"no", numbers as text."""
    if value is None:
        return [] if question.kind == QuestionKind.MULTI_CHOICE else ""
    if question.kind == QuestionKind.YES_NO:
        return "yes" if value is True else "no" if value is False else str(value)
    if question.kind == QuestionKind.MULTI_CHOICE:
        return value if isinstance(value, list) else [value]
    return str(value)


def answers_from_data(questions: Iterable[Question], data: QueryDict) -> dict[str, object]:
    """The raw answers a submitted form carries, one per non-file question.

    A question missing from the data (an unticked box, an unset radio) counts
    as blank, which clears its saved answer: the form always shows them all.
    """
    answers: dict[str, object] = {}
    for question in questions:
        if question.kind == QuestionKind.FILE:
            continue
        if question.kind == QuestionKind.MULTI_CHOICE:
            answers[question.key] = data.getlist(question.key)
        else:
            answers[question.key] = data.get(question.key, "")
    return answers


def question_fields(
    questions: Iterable[Question],
    *,
    answers: Mapping[str, object],
    attachments: Iterable[Attachment] = (),
    data: QueryDict | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> list[QuestionField]:
    """The form's fields, showing ``data`` (what the user just sent) when given,
    else the saved ``answers``."""
    by_key = {attachment.question_key: attachment for attachment in attachments}
    raw = answers_from_data(questions, data) if data is not None else {}
    errors = errors or {}
    fields = []
    for question in questions:
        value = raw[question.key] if question.key in raw else display_value(question, answers.get(question.key))
        fields.append(
            QuestionField(
                question=question,
                value=value,
                errors=list(errors.get(question.key, [])),
                attachment=by_key.get(question.key),
            )
        )
    return fields
