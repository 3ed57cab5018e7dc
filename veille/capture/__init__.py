"""Capture: a URL's HTML turned into a clean article (title, lead image, text, metadata).

The extraction modules are pure: they take HTML and the URL it came from, never touch the network or
the database. Import ``veille.capture.extract`` where needed; this package stays light so that
loading the Django app does not load lxml, trafilatura and the language model.
"""
