from celery import shared_task

from bench.floors import tick_insert


@shared_task(name="bench.touch_database", ignore_result=True)
def touch_database() -> None:
    """The floor under a real task: fetched, run and acknowledged like one, one
    row written on the worker's kept connection, nothing else."""
    tick_insert()
