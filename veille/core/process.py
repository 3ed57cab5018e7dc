"""Settings for processes that live long: the task consumer (`veille worker`)."""

import gc

from django.utils.module_loading import autodiscover_modules


def settle_long_lived_process() -> None:
    """Load the task modules now and exempt everything loaded so far from garbage collection.

    Django, the apps and their modules (about 130,000 objects) live as long as the process, yet
    every full collection walked them all again: about 0.1 s each, more than the rest of a poll
    run of 500 unchanged feeds (``bench/ingest.py --no-freeze`` shows it; bench/README.md).
    ``gc.freeze`` moves them to a generation the collector never scans; what is allocated
    afterwards is collected as before.
    """
    autodiscover_modules("tasks")
    gc.collect()
    gc.freeze()
