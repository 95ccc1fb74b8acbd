from django import forms

from common.errors import DomainError
from common.fields import LONG_TEXT, NOTE_TEXT
from reviews.enums import DecisionKind, Recommendation


class ReviewForm(forms.Form):
    """One field per criterion of the rubric, then the reviewer's words."""

    comment = forms.CharField(
        label="Comment for the program team",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the program team reads this.",
    )
    feedback = forms.CharField(
        label="Feedback for the startup (optional)",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="May be shared with the startup with the decision.",
    )
    recommendation = forms.ChoiceField(
        label="Recommendation", required=False, choices=[("", "—"), *Recommendation.choices]
    )

    def __init__(self, *args, criteria, disabled: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            field = forms.TypedChoiceField(
                label=f"{criterion.name} (weight {criterion.weight.normalize()})",
                choices=[("", "—")] + [(value, value) for value in range(criterion.scale_min, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=f"{criterion.guidance} Score from {criterion.scale_min} to {criterion.scale_max}.".strip(),
            )
            score_fields[self.score_field_name(criterion)] = field
        # Scores first, in the rubric's order, then the words.
        self.fields = {**score_fields, **self.fields}
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def score_field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {criterion.pk: data.get(self.score_field_name(criterion)) for criterion in self.criteria},
            "comment": data["comment"],
            "feedback": data["feedback"],
            "recommendation": data["recommendation"],
        }

    def add_domain_error(self, error: DomainError) -> None:
        for name, messages in error.as_dict().items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label="Why you cannot review this startup (optional)",
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ManualAssignmentForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    reviewer = forms.TypedChoiceField(label="Reviewer", coerce=int)

    def __init__(self, *args, reviewers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [(user.pk, f"{user} (load {user.load})") for user in reviewers]


class DecisionForm(forms.Form):
    """The ranking board's form: a decision for the ticked applications, or one
    row's button for a single application."""

    kind = forms.ChoiceField(label="Decision", choices=[("", "Choose…"), *DecisionKind.choices], required=False)
    applications = forms.TypedMultipleChoiceField(coerce=int, required=False)
    reason = forms.CharField(
        label="Why (recorded with the decision)",
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    single = forms.CharField(required=False)

    def __init__(self, *args, application_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(pk, pk) for pk in application_ids]
        self.application_ids = set(application_ids)

    def clean(self) -> dict:
        data = super().clean()
        single = data.get("single")
        if single:
            application_id, _, kind = single.partition(":")
            if not application_id.isdigit() or int(application_id) not in self.application_ids:
                raise forms.ValidationError("Choose an application of this round.")
            if kind not in DecisionKind.values:
                raise forms.ValidationError("Choose accept, waitlist or reject.")
            data["kind"], data["applications"] = kind, [int(application_id)]
        elif not data.get("applications"):
            raise forms.ValidationError("Tick at least one application.")
        elif not data.get("kind"):
            self.add_error("kind", "Choose a decision.")
        return data


class OfferResponseForm(forms.Form):
    reason = forms.CharField(
        label="Anything you want us to know (optional)",
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
