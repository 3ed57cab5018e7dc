import gc
import sys

from veille.core.management.commands import worker
from veille.core.process import settle_long_lived_process


def test_a_settled_process_has_its_tasks_loaded_and_the_rest_frozen():
    try:
        settle_long_lived_process()
        assert "veille.sources.tasks" in sys.modules
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_the_worker_settles_before_it_takes_tasks(monkeypatch):
    steps = []
    monkeypatch.setattr(worker, "settle_long_lived_process", lambda: steps.append("settle"))
    monkeypatch.setattr(worker, "call_command", lambda *argv: steps.append(argv[0]))
    worker.Command().handle(workers=1, no_periodic=False, quiet=True)
    assert steps == ["settle", "run_huey"]
