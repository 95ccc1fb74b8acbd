from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from accounts.models import User


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "timezone"]
        labels = {"full_name": "Your name", "timezone": "Your time zone"}

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self) -> set[str]:
        # Whether the address has an account must not show here: the model's
        # uniqueness checks on it are skipped, and accounts.services.signup_request
        # answers the same either way.
        return {*super()._get_validation_exclusions(), "email"}


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True}))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "timezone"]
