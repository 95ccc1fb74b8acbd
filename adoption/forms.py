import json

from django import forms
from django.core.exceptions import ValidationError

from adoption.enums import DeploymentStage, DisbursementStatus, Environment
from adoption.metrics import EXAMPLE, MAX_METRICS, MetricsSyntaxError, parse_metrics
from adoption.selectors import aimodel_list_active
from common.errors import DomainError
from common.fields import LONG_TEXT, NOTE_TEXT


def add_domain_errors(form: forms.Form, error: DomainError | ValidationError) -> None:
    """Show a service's error on the field it names (or on the form)."""
    errors = error.errors if isinstance(error, DomainError) else getattr(error, "message_dict", {None: error.messages})
    for name, messages in errors.items():
        form.add_error(name if name in form.fields else None, messages)


class DeploymentForm(forms.Form):
    model = forms.ModelChoiceField(queryset=aimodel_list_active(), empty_label="Choose a model")
    environment = forms.ChoiceField(choices=Environment.choices)
    cloud_provider = forms.CharField(
        required=False, max_length=100, help_text="For a cloud deployment: which provider (e.g. AWS Bedrock)."
    )
    use_case = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_TEXT, label="Use case")
    started_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Started on")


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=DeploymentStage.choices, label="Move to")


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Where the key is used, e.g. “production exporter”.")


class UsageUploadForm(forms.Form):
    MAX_BYTES = 10 * 1024 * 1024

    file = forms.FileField(
        label="CSV file",
        help_text="Columns: model, date, requests, input_tokens, output_tokens. 10 MB at most.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB: split it, or use the API.")
        return upload


class MetricsField(forms.Field):
    """JSON text in, its parsed value out for the service to check; text that
    does not parse is shown back as typed."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: object) -> object:
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return value
        try:
            return parse_metrics(value)
        except MetricsSyntaxError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: object) -> str:
        if value is None or isinstance(value, str):
            return value or ""
        return json.dumps(value, ensure_ascii=False)

    def bound_data(self, data: object, initial: object) -> object:
        return data


class CheckInForm(forms.Form):
    progress = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT, label="Progress this month"
    )
    blockers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_TEXT, required=False, label="Blockers"
    )
    metrics = MetricsField(
        required=False,
        help_text=(
            f"What you track, as JSON: names to numbers or short texts, e.g. {EXAMPLE}. At most {MAX_METRICS} metrics."
        ),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Due on")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_TEXT, required=False)


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), *DisbursementStatus.choices], required=False)
