"""Suggestions: candidates found by sources, grouped in stories, ranked for the curator."""
