"""Small saved pages for the tests, written as Scoop.it saves them."""

from textwrap import dedent

from veille.importers.services import DEMO_PATH

SEED = DEMO_PATH


def page(text: str) -> str:
    return dedent(text).lstrip("\n")


HEADER = page("""
    Demo topic
    1,234 views | +3 today
    Follow
    Demo topic
    A topic for tests
    Your new post is loading...
""")

FIRST = page("""
    Scooped by Ann Curator
    Scoop.it!

    First title

    First title | Demo topic | Scoop.it

    First paragraph.

    - one
    - two
    Ann Curator's insight:
    My insight
    more...
    3 comments
""")

SECOND = page("""
    Scooped by Ann Curator
    Scoop.it!

    Second title

    Second paragraph.
    more...
    Bob Other's curator insight, March 2, 2016 9:05 AM

    Bob's words.

""")

THIRD = page("""
    Scooped by Ann Curator
    Scoop.it!

    Third title

    Third paragraph.
    more...
    No comment yet.
""")

# line numbers of the 'Scooped by' lines in HEADER + FIRST + SECOND + THIRD
FIRST_LINE = HEADER.count("\n") + 1
SECOND_LINE = FIRST_LINE + FIRST.count("\n")
THIRD_LINE = SECOND_LINE + SECOND.count("\n")
