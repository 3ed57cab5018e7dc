"""Sources: feeds, sites and keyword queries polled for a topic."""
