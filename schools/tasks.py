"""Where Celery's autodiscovery finds the schools app's tasks (`app.autodiscover_tasks()`
imports `<app>.tasks`). The tasks live by purpose: register upkeep in
`schools.register_tasks`, uploads in `schools.upload_tasks`. Import from those modules;
nothing in the product imports this one, so it closes no cycle.
"""

from schools.import_recovery_tasks import sweep_imports_task
from schools.register_tasks import (
    evaluate_county_task,
    evaluate_school_task,
    evaluate_schools_queue,
    evaluate_schools_task,
    import_follow_up_queue,
    refresh_after_import_schools_task,
    refresh_after_import_task,
)
from schools.upload_tasks import apply_import_task, check_import_task

__all__ = [
    "apply_import_task",
    "check_import_task",
    "evaluate_county_task",
    "evaluate_school_task",
    "evaluate_schools_queue",
    "evaluate_schools_task",
    "import_follow_up_queue",
    "refresh_after_import_schools_task",
    "refresh_after_import_task",
    "sweep_imports_task",
]
