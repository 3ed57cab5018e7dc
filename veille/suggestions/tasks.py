"""Background jobs of suggestions. Thin: ids in, a service call."""

from huey.contrib.djhuey import db_task

from veille.suggestions.services import rescore


@db_task(retries=2, retry_delay=30)
def rescore_topic(topic_id: int) -> int:
    return rescore.rescore_topic(topic_id=topic_id)
