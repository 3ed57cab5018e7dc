"""What a fetch returns."""

import re
from dataclasses import dataclass, field

from multidict import CIMultiDictProxy

# The first bytes of an HTML or XML document may declare its encoding when the header does not.
_DECLARED = re.compile(
    rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)


@dataclass
class FetchResult:
    """A response, read whole (within the size cap). HTTP error statuses are results too."""

    url: str  # As requested.
    final_url: str  # After redirects.
    status: int
    headers: CIMultiDictProxy[str]  # Case-insensitive: headers["content-type"] works.
    body: bytes
    content_type: str
    charset: str | None
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, location) per hop.
    elapsed: float = 0.0  # Seconds, redirects included.

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        """The body as text: the declared charset, else the document's own, else a guess."""
        for charset in (self.charset, self._declared_charset()):
            if charset:
                try:
                    return self.body.decode(charset, errors="replace")
                except LookupError:
                    continue
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self._guess()

    def _declared_charset(self) -> str | None:
        match = _DECLARED.search(self.body[:2048])
        if match is None:
            return None
        return (match.group(1) or match.group(2)).decode("ascii")

    def _guess(self) -> str:
        """A guess for undeclared legacy bytes; windows-1252 wins ties, as in browsers (WHATWG)."""
        from charset_normalizer import from_bytes

        matches = from_bytes(self.body)
        best = matches.best()
        if best is None:
            return self.body.decode("utf-8", errors="replace")
        western = (m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos)
        return str(next(western, best))
