"""Free text with a length limit that holds everywhere.

Django's ``TextField`` takes a ``max_length`` but only hands it to form
widgets: the model, DRF and the database let any length through, and a 10 MB
"description" is stored. ``BoundedTextField`` checks it in model validation
(and so in model forms, the admin and model serializers, which also show it
in the schema) and in the database, which stores it as a varchar: a text
field in every form and page, a bounded column underneath.
"""

from django.core.validators import MaxLengthValidator
from django.db import migrations, models
from django.db.models.functions import Length, Substr

from common.text import StorableTextValidator

# Characters a person may write: a description, a report, a review's comment …
LONG_TEXT = 10_000
# … a reason, a note, a list of blockers.
NOTE_TEXT = 5_000


class BoundedTextField(models.TextField):
    """A ``TextField`` that refuses text over ``max_length`` characters, and
    text PostgreSQL cannot store, in validation and in the database."""

    def __init__(self, verbose_name: str | None = None, *, max_length: int, **kwargs) -> None:
        super().__init__(verbose_name, max_length=max_length, **kwargs)
        self.validators.extend([MaxLengthValidator(max_length), StorableTextValidator()])

    def db_type(self, connection) -> str:
        # Stored like a CharField's column, varchar(max_length): the database
        # holds the limit, and a migration can put it on an existing column.
        column_type = connection.data_types["CharField"]
        data = self.db_type_parameters(connection)
        return column_type(data) if callable(column_type) else column_type % data


def clip(text: str, max_length: int) -> str:
    """``text`` cut to ``max_length`` characters, the last one an ellipsis when
    cut: for text the system composes, which no form has checked."""
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def clip_existing_text(app_label: str, limits: dict[str, dict[str, int]]) -> migrations.RunPython:
    """A migration step, to run before fields become bounded: cuts the text
    stored earlier to ``{model: {field: max_length}}``, so that the column
    can take its limit."""

    def forward(apps, schema_editor) -> None:
        for model_name, fields in limits.items():
            model = apps.get_model(app_label, model_name)
            for name, max_length in fields.items():
                model.objects.alias(text_length=Length(name)).filter(text_length__gt=max_length).update(
                    **{name: Substr(name, 1, max_length)}
                )

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)
