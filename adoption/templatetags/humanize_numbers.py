from django import template

from adoption.charts import compact as compact_number

register = template.Library()


@register.filter
def compact(value: object) -> str:
    """1234567 → 1.2M."""
    try:
        return compact_number(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
