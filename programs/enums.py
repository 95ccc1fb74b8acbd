from django.db import models


class ProgramRole(models.TextChoices):
    MANAGER = "manager", "Program manager"
    REVIEWER = "reviewer", "Reviewer"


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    CHOICE = "choice", "Single choice"
    MULTI_CHOICE = "multi_choice", "Multiple choice"
    YES_NO = "yes_no", "Yes / no"
    URL = "url", "URL"
    EMAIL = "email", "E-mail"
    DATE = "date", "Date"
    FILE = "file", "File"


CHOICE_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE})


class RuleOperator(models.TextChoices):
    EQUALS = "eq", "equals"
    NOT_EQUALS = "ne", "does not equal"
    LESS_THAN = "lt", "is less than"
    LESS_OR_EQUAL = "lte", "is at most"
    GREATER_THAN = "gt", "is more than"
    GREATER_OR_EQUAL = "gte", "is at least"
    IN = "in", "is one of"
    NOT_IN = "not_in", "is none of"
    CONTAINS = "contains", "contains"
    IS_TRUE = "is_true", "is yes"
    IS_FALSE = "is_false", "is no"


class RuleSeverity(models.TextChoices):
    HARD = "hard", "Hard: fails the application"
    SOFT = "soft", "Soft: flags it for managers"


class BenefitKind(models.TextChoices):
    MONTHLY_STIPEND = "monthly_stipend", "Monthly stipend"
    CREDITS = "credits", "Credits"
    SUPPORT = "support", "Support"
