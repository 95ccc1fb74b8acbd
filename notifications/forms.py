from django import forms

from common.text import StorableTextValidator
from notifications.webhooks import EVENT_TYPES


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https", validators=[StorableTextValidator()])
    description = forms.CharField(max_length=200, required=False, validators=[StorableTextValidator()])
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {meaning}") for name, meaning in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="The events this URL receives.",
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
