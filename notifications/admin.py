from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from notifications import events, rendering, services
from notifications.models import EmailTemplate


class EmailTemplateForm(forms.ModelForm):
    # The catalog lives in code, so the admin offers exactly the registered events.
    event = forms.ChoiceField(choices=events.choices)

    class Meta:
        model = EmailTemplate
        fields = ["event", "language", "program", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "cols": 90})}


def placeholder_table(event: events.Event) -> str:
    rows = format_html_join(
        "",
        "<tr><td><code>{{{}}}</code></td><td>{}</td><td>{}</td></tr>",
        ((placeholder.name, placeholder.description, placeholder.sample) for placeholder in event.placeholders),
    )
    return format_html(
        "<p>{}</p><table><thead><tr><th>Placeholder</th><th>Meaning</th><th>Sample</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        event.description,
        rows,
    )


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ["event", "language", "program", "subject", "updated_at"]
    list_filter = ["event", "language", "program"]
    search_fields = ["event", "subject", "body"]
    list_select_related = ["program"]
    readonly_fields = ["placeholders", "preview"]
    fieldsets = [
        (None, {"fields": ["event", "language", "program", "subject", "body"]}),
        (
            "Placeholders and preview",
            {
                "fields": ["placeholders", "preview"],
                "description": "Write {name} for a placeholder and {{ or }} for a literal brace. "
                "The preview fills the saved template with sample data.",
            },
        ),
    ]

    @admin.display(description="Placeholders")
    def placeholders(self, obj: EmailTemplate | None) -> str:
        if obj is not None and obj.event in events.EVENTS:
            return placeholder_table(events.get(obj.event))
        return format_html_join(
            "",
            "<h4>{}</h4>{}",
            ((event.label, placeholder_table(event)) for event in events.EVENTS.values()),
        )

    @admin.display(description="Preview")
    def preview(self, obj: EmailTemplate | None) -> str:
        if obj is None or obj.pk is None or obj.event not in events.EVENTS:
            return "Save the template to preview it."
        try:
            subject, body = services.template_preview(event=obj.event, subject=obj.subject, body=obj.body)
        except rendering.TemplateSyntaxError as error:
            return str(error)
        return format_html(
            '<div class="email-preview"><p><strong>{}</strong></p>'
            '<pre style="white-space: pre-wrap; font-family: inherit">{}</pre></div>',
            subject,
            body,
        )
