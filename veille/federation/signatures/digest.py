"""The body's digest: ``Digest`` (RFC 3230, what draft-cavage signers send) or ``Content-Digest``
(RFC 9530, what RFC 9421 signers send). A signature protects the body only through a signed digest.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

from veille.federation.signatures import structured
from veille.federation.signatures.common import HeaderValue, SignatureError, field_value

ALGORITHMS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
DIGEST_HEADERS = ("digest", "content-digest")


def digest_header(body: bytes) -> str:
    """The ``Digest`` value a draft-cavage signer sends."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _bad(message: str) -> SignatureError:
    return SignatureError("bad_digest", message)


def _legacy(value: str) -> dict[str, bytes]:
    """``SHA-256=X48E9q...=, SHA-512=...``: the base64 value may itself end with "="."""
    digests = {}
    for part in value.split(","):
        algorithm, sep, encoded = part.strip().partition("=")
        if not sep:
            raise _bad("the Digest header is malformed")
        try:
            digests[algorithm.lower()] = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise _bad("the Digest header is not base64") from exc
    return digests


def _structured(value: str) -> dict[str, bytes]:
    try:
        members = structured.parse_dictionary(value)
    except structured.StructuredError as exc:
        raise _bad("the Content-Digest header is malformed") from exc
    digests = {}
    for algorithm, member in members.items():
        if not isinstance(member, structured.Item) or not isinstance(member.value, bytes):
            raise _bad("the Content-Digest header is malformed")
        digests[algorithm] = member.value
    return digests


def _check(name: str, value: str, body: bytes) -> None:
    digests = _legacy(value) if name == "digest" else _structured(value)
    known = {algorithm: digest for algorithm, digest in digests.items() if algorithm in ALGORITHMS}
    if not known:
        raise SignatureError("unsupported", f"no supported algorithm in {name}: {sorted(digests)}")
    for algorithm, expected in known.items():
        if not hmac.compare_digest(ALGORITHMS[algorithm](body).digest(), expected):
            raise _bad(f"the body does not match its {name} ({algorithm})")


def check_body(body: bytes, headers: Mapping[str, HeaderValue], covered: set[str]) -> None:
    """Every signed digest header matches ``body``; a body without a signed digest is refused."""
    signed = [name for name in DIGEST_HEADERS if name in covered and name in headers]
    if body and not signed:
        raise _bad("the body has no signed digest")
    for name in signed:
        _check(name, field_value(headers, name) or "", body)
