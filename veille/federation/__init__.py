"""Federation: every topic is an ActivityPub actor (see docs/federation.md)."""
