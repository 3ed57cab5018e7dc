from dataclasses import dataclass


@dataclass
class ViewStats:
    total: int
    today: int


def view_stats(*, topic=None, scoop=None) -> ViewStats:  # replaced by the analytics work
    return ViewStats(total=topic.imported_views if topic else 0, today=0)
