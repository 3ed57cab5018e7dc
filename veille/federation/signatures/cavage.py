"""draft-cavage-http-signatures-12: the ``Signature`` header Mastodon and the fediverse send.

https://datatracker.ietf.org/doc/html/draft-cavage-http-signatures-12
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass

from veille.federation.signatures.common import HeaderValue, SignatureError, field_value

# keyId="...",algorithm="..." — values quoted (with \" escapes) or bare (created=1402170695).
PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*(?:,|$)')
TIMESTAMP_NAMES = ("(created)", "(expires)")
# Section 2.3: the pseudo-headers (created) and (expires) are errors with these algorithms.
NO_TIMESTAMPS = ("rsa", "hmac", "ecdsa")


@dataclass(frozen=True)
class CavageSignature:
    key_id: str
    algorithm: str | None
    headers: tuple[str, ...]
    signature: bytes
    created: int | None = None
    expires: int | None = None


def _params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    pos = 0
    while pos < len(value):
        match = PARAM.match(value, pos)
        if match is None or match.end() == pos:
            raise SignatureError("bad_signature", "the Signature header is malformed")
        name, raw = match.group(1), match.group(2)
        if name in params:  # section 2.2: a duplicated parameter voids the signature
            raise SignatureError("bad_signature", f"the parameter {name} is repeated")
        params[name] = re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
        pos = match.end()
    return params


def _integer(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return int(float(raw))  # section 2.1.5 allows a decimal "expires"
    except ValueError as exc:
        raise SignatureError("bad_signature", f"{name} is not a timestamp") from exc


def parse_signature(value: str) -> CavageSignature:
    """The parameters of a ``Signature`` header (or an ``Authorization: Signature`` value)."""
    value = re.sub(r"^\s*Signature\s+", "", value)
    params = _params(value)
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureError("bad_signature", "the signature has no keyId or no signature")
    created, expires = _integer(params, "created"), _integer(params, "expires")
    # Section 2.1.6 defaults to (created); older drafts and Appendix C.1 to date.
    default = "(created)" if created is not None else "date"
    headers = tuple(params.get("headers", default).lower().split())
    if not headers:
        raise SignatureError("bad_signature", "the signature covers no header")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except binascii.Error as exc:
        raise SignatureError("bad_signature", "the signature is not base64") from exc
    algorithm = params.get("algorithm", "").lower() or None
    return CavageSignature(params["keyId"], algorithm, headers, signature, created, expires)


def _line(name: str, *, method: str, target: str, headers, sig: CavageSignature) -> str:
    if name == "(request-target)":
        return f"{name}: {method.lower()} {target}"
    if name in TIMESTAMP_NAMES:
        if (sig.algorithm or "").startswith(NO_TIMESTAMPS):
            raise SignatureError("unsupported", f"{name} cannot be signed with {sig.algorithm}")
        value = sig.created if name == "(created)" else sig.expires
        if value is None:
            raise SignatureError("bad_signature", f"{name} is signed but has no value")
        return f"{name}: {value}"
    value = field_value(headers, name)
    if value is None:
        raise SignatureError("bad_signature", f"the signed header {name} is missing")
    return f"{name}: {value}"


def signing_string(
    sig: CavageSignature, *, method: str, target: str, headers: Mapping[str, HeaderValue]
) -> bytes:
    """Section 2.3. ``headers`` has lower-case names; ``target`` is the path and query."""
    lines = [_line(n, method=method, target=target, headers=headers, sig=sig) for n in sig.headers]
    return "\n".join(lines).encode()


def signature_header(*, key_id: str, headers: tuple[str, ...], signature: bytes) -> str:
    return (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(headers)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
