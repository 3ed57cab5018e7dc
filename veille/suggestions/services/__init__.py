"""Writes of the suggestions app: ingest (called by the sources poller), triage, rescoring."""

from veille.suggestions.services.ingestion import ingest, ingest_many
from veille.suggestions.services.rescore import rescore_topic, schedule_rescore
from veille.suggestions.services.triage import (
    candidate_dismiss,
    decision_undo,
    stories_dismiss,
    story_dismiss,
    story_mark_scooped,
)

__all__ = [
    "candidate_dismiss",
    "decision_undo",
    "ingest",
    "ingest_many",
    "rescore_topic",
    "schedule_rescore",
    "stories_dismiss",
    "story_dismiss",
    "story_mark_scooped",
]
