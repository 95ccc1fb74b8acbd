import calendar

from django.db import migrations, models
from django.db.models import Count, Q, Sum

LIMIT = 10**12


def drop_impossible_usage(apps, schema_editor):
    """Rows over the daily limit cannot be real use (nothing checked them
    before): remove them so the constraint can be added, and recompute the
    roll-ups of the months they were in."""
    UsageRecord = apps.get_model("adoption", "UsageRecord")
    UsageMonthly = apps.get_model("adoption", "UsageMonthly")
    over = UsageRecord.objects.filter(
        Q(requests__gt=LIMIT) | Q(input_tokens__gt=LIMIT) | Q(output_tokens__gt=LIMIT)
    )
    touched = {(startup_id, model_id, day.replace(day=1)) for startup_id, model_id, day in over.values_list("startup_id", "model_id", "date")}
    over.delete()
    for startup_id, model_id, month in touched:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        sums = UsageRecord.objects.filter(
            startup_id=startup_id, model_id=model_id, date__gte=month, date__lte=last
        ).aggregate(
            requests=Sum("requests"), input_tokens=Sum("input_tokens"), output_tokens=Sum("output_tokens"), days_reported=Count("id")
        )
        rollup = UsageMonthly.objects.filter(startup_id=startup_id, model_id=model_id, month=month)
        if sums["days_reported"]:
            rollup.update(**sums)
        else:
            rollup.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('adoption', '0002_seed_llama_catalog'),
        ('applicants', '0002_round_newest_index'),
    ]

    operations = [
        migrations.RunPython(drop_impossible_usage, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='usagerecord',
            constraint=models.CheckConstraint(condition=models.Q(('requests__lte', 1000000000000), ('input_tokens__lte', 1000000000000), ('output_tokens__lte', 1000000000000)), name='adoption_usage_within_daily_limit'),
        ),
    ]
