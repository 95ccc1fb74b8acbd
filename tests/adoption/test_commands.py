import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from adoption.models import UsageMonthly, UsageRecord

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_import_usage_stores_a_csv_file_and_reports_bad_lines(tmp_path, catalog, accepted, capsys):
    day = (timezone.now().date() - datetime.timedelta(days=1)).isoformat()
    path = tmp_path / "usage.csv"
    path.write_text(
        "model,date,requests,input_tokens,output_tokens\n"
        f"llama-3.1-8b,{day},5,10,20\n"
        f"Llama 3.3 70B,{day},1,2,3\n"
        f"llama-3.1-8b,{day},-1,2,3\n"
    )

    call_command("import_usage", str(path), startup=accepted.startup.pk, batch_size=2, verbosity=0)

    assert UsageRecord.objects.filter(startup=accepted.startup).count() == 2
    assert "line 4, requests: Must not be negative." in capsys.readouterr().err


def test_import_usage_batches_keep_last_values_across_batches(tmp_path, catalog, accepted):
    day = (timezone.now().date() - datetime.timedelta(days=1)).isoformat()
    path = tmp_path / "usage.csv"
    path.write_text(
        f"model,date,requests,input_tokens,output_tokens\nllama-3.1-8b,{day},5,10,20\nllama-3.1-8b,{day},7,10,20\n"
    )

    call_command("import_usage", str(path), startup=accepted.startup.pk, batch_size=1, verbosity=0)

    assert UsageRecord.objects.get().requests == 7
    assert UsageMonthly.objects.get().requests == 7


def test_rebuild_rollups_command_rebuilds_from_raw(catalog, accepted):
    from tests.factories import UsageRecordFactory

    UsageRecordFactory.create_batch(3, startup=accepted.startup, model=catalog["llama-3.1-8b"], requests=2)

    call_command("rebuild_rollups", verbosity=0)

    assert sum(UsageMonthly.objects.values_list("requests", flat=True)) == 6


def test_bench_usage_smoke_prints_the_ratio_and_cleans_up(catalog, capsys):
    call_command("bench_usage", records=60, dashboard_rows=[200, 400], batch_size=25, days=10, repeat=1, verbosity=0)

    out = capsys.readouterr().out
    assert "records/s" in out
    assert "ratio" in out
    assert "dashboard" in out
    assert UsageRecord.objects.count() == 0


def test_rebuild_rollups_task_runs(catalog, accepted):
    from adoption.tasks import rebuild_rollups
    from tests.factories import UsageRecordFactory

    UsageRecordFactory(startup=accepted.startup, model=catalog["llama-3.1-8b"], requests=4)

    rebuild_rollups.delay()

    assert UsageMonthly.objects.get().requests == 4
