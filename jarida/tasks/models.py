"""What the workers keep in the database beside django-tasks-db's queue table.

`WorkerHeartbeat`: each running worker writes its row every few seconds; a RUNNING task
whose worker has gone silent was lost with a killed process and goes back to the queue
(jarida.tasks.recovery). `ScheduledJob`: when each periodic task is next due, claimed by a
conditional UPDATE so that any number of workers and schedulers enqueue it once.
"""

from django.db import models


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "عامل مهام"
        verbose_name_plural = "عمّال المهام"

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class ScheduledJob(models.Model):
    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "مهمة دورية"
        verbose_name_plural = "المهام الدورية"

    def __str__(self):
        return self.name
