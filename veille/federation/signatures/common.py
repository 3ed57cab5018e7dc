"""What both signature schemes share: the error, the result, and reading header fields."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A header's value as callers give it: one string, or the values of repeated header lines.
HeaderValue = str | Sequence[str]

OBS_FOLD = re.compile(r"[ \t]*\r?\n[ \t]*")
DEFAULT_PORTS = {"http": 80, "https": 443}


class SignatureError(Exception):
    """A request whose signature cannot be accepted; ``code`` says why.

    Codes: ``unsigned`` (no signature), ``bad_signature`` (malformed, or does not verify),
    ``stale_date`` (Date or ``created`` too far from now, or expired), ``bad_digest`` (the body
    does not match its signed digest, or has none), ``unknown_key`` (the key cannot be had),
    ``unsupported`` (an algorithm or a signature shape we do not accept).
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class VerifiedRequest:
    key_id: str
    actor_uri: str  # the key id without its fragment: confirm it against the key's owner
    scheme: str  # "cavage" or "rfc9421"


def lower_keys(headers: Mapping[str, HeaderValue]) -> dict[str, HeaderValue]:
    return {name.lower(): value for name, value in headers.items()}


def field_value(headers: Mapping[str, HeaderValue], name: str) -> str | None:
    """The value of header ``name`` (lower-case) as both specs canonicalize it.

    Leading and trailing whitespace is dropped and obsolete line folding becomes one space;
    several values of a repeated header are joined with ", " (draft-cavage-12 section 2.3,
    RFC 9421 section 2.1). None when the header is absent.
    """
    value = headers.get(name)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    return ", ".join(OBS_FOLD.sub(" ", item).strip(" \t") for item in values)


def normalized_authority(host: str, scheme: str) -> str:
    """Host (and port) lower-cased, without the scheme's default port (RFC 9421 section 2.2.3)."""
    host = host.strip().lower()
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and "]" not in port and int(port) == DEFAULT_PORTS.get(scheme):
        return name
    return host
