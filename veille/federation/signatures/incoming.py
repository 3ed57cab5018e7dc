"""Verifying requests signed with draft-cavage-12 or RFC 9421, and their body digest."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urlsplit

from django.conf import settings

from veille.federation.signatures import cavage, crypto, rfc9421
from veille.federation.signatures.common import (
    HeaderValue,
    SignatureError,
    VerifiedRequest,
    field_value,
    lower_keys,
)
from veille.federation.signatures.digest import check_body

KeyGetter = Callable[[str, bool], str | None]


@dataclass(frozen=True)
class _Candidate:
    """A parsed signature, ready to check: what was signed, by which key, covering what."""

    scheme: str
    key_id: str
    algorithm: str | None
    data: bytes
    signature: bytes
    covered: frozenset[str]
    signed_at: datetime
    expires_at: datetime | None


def _timestamp(value: int | float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _date_header(headers: Mapping[str, HeaderValue]) -> datetime:
    try:
        moment = parsedate_to_datetime(field_value(headers, "date") or "")
    except (TypeError, ValueError) as exc:
        raise SignatureError("stale_date", "the Date header cannot be read") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cavage(method: str, path: str, headers: Mapping[str, HeaderValue]) -> _Candidate:
    value = field_value(headers, "signature") or field_value(headers, "authorization") or ""
    sig = cavage.parse_signature(value)
    crypto.check_algorithm("cavage", sig.algorithm)
    covered = frozenset(sig.headers)
    # A signature must bind the target, the host (or it could be replayed to another server
    # with the same path) and a time (or it could be replayed forever).
    if not {"(request-target)", "host"} <= covered or not covered & {"date", "(created)"}:
        raise SignatureError("unsupported", "the signature must cover (request-target) host date")
    data = cavage.signing_string(sig, method=method, target=path, headers=headers)
    if "(created)" in covered:
        signed_at = _timestamp(sig.created)
    else:
        signed_at = _date_header(headers)
    expires = _timestamp(sig.expires) if "(expires)" in covered else None
    return _Candidate(
        "cavage", sig.key_id, sig.algorithm, data, sig.signature, covered, signed_at, expires
    )


def _target_uri(path: str, headers: Mapping[str, HeaderValue]) -> str:
    # The scheme the instance is served on: TLS usually ends at a proxy before Django.
    scheme = urlsplit(settings.BASE_URL).scheme or "https"
    return f"{scheme}://{field_value(headers, 'host') or ''}{path}"


def _binds_target(covered: frozenset[str]) -> bool:
    located = "@target-uri" in covered or (
        "@authority" in covered and bool(covered & {"@path", "@request-target"})
    )
    return "@method" in covered and located


def _rfc9421(method: str, path: str, headers: Mapping[str, HeaderValue]) -> _Candidate:
    signatures = rfc9421.parse_signatures(
        field_value(headers, "signature-input") or "", field_value(headers, "signature") or ""
    )
    sig = next((s for s in signatures if s.key_id), None)
    if sig is None:
        raise SignatureError("bad_signature", "no signature names its key (keyid)")
    crypto.check_algorithm("rfc9421", sig.algorithm)
    covered = frozenset(sig.components)
    if not _binds_target(covered):
        raise SignatureError("unsupported", "the signature must cover @method and the target")
    message = rfc9421.Message(headers, method=method, target_uri=_target_uri(path, headers))
    data = rfc9421.signature_base(message, sig)
    created, expires = sig.params.get("created"), sig.params.get("expires")
    if isinstance(created, int):
        signed_at = _timestamp(created)
    elif "date" in covered:
        signed_at = _date_header(headers)
    else:
        raise SignatureError("unsupported", "the signature has neither created nor a signed Date")
    expires_at = _timestamp(expires) if isinstance(expires, int | float) else None
    return _Candidate(
        "rfc9421", sig.key_id, sig.algorithm, data, sig.signature, covered, signed_at, expires_at
    )


def _parse(method: str, path: str, headers: Mapping[str, HeaderValue]) -> _Candidate:
    if "signature-input" in headers and "signature" in headers:
        return _rfc9421(method, path, headers)
    authorization = field_value(headers, "authorization") or ""
    if "signature" in headers or authorization.lower().startswith("signature "):
        return _cavage(method, path, headers)
    raise SignatureError("unsigned", "the request is not signed")


def _check_time(candidate: _Candidate, now: datetime, max_skew: timedelta) -> None:
    if abs(now - candidate.signed_at) > max_skew:
        raise SignatureError(
            "stale_date", f"signed at {candidate.signed_at.isoformat()}, now is {now.isoformat()}"
        )
    if candidate.expires_at is not None and candidate.expires_at < now:
        raise SignatureError("stale_date", "the signature has expired")


def _check_key(candidate: _Candidate, get_public_key: KeyGetter) -> None:
    """Verify with the known key; on failure once more with a refetched one (key rotation)."""

    def verifies(pem: str) -> bool:
        return crypto.verifies(
            pem,
            scheme=candidate.scheme,
            algorithm=candidate.algorithm,
            data=candidate.data,
            signature=candidate.signature,
        )

    pem = get_public_key(candidate.key_id, False)
    if pem is None:
        raise SignatureError("unknown_key", f"no key {candidate.key_id}")
    if verifies(pem):
        return
    fresh = get_public_key(candidate.key_id, True)
    if fresh and fresh != pem and verifies(fresh):
        return
    raise SignatureError("bad_signature", f"the signature does not verify with {candidate.key_id}")


def verify_request(
    *,
    method: str,
    path: str,
    headers: Mapping[str, HeaderValue],
    body: bytes,
    get_public_key: KeyGetter,
    now: datetime | None = None,
    max_skew: timedelta = timedelta(minutes=5),
) -> VerifiedRequest:
    """Check a signed request; SignatureError (with its ``code``) when it cannot be accepted.

    ``path`` is the request target as received (path and query). ``headers`` may give a list of
    values for a repeated header. The cheap checks (shape, time, digest) run before any key is
    asked for, so that a forged request costs no fetch. ``get_public_key(key_id, refresh)``
    returns a PEM or None.
    """
    lowered = lower_keys(headers)
    candidate = _parse(method, path, lowered)
    _check_time(candidate, now or datetime.now(UTC), max_skew)
    check_body(body, lowered, set(candidate.covered))
    _check_key(candidate, get_public_key)
    actor_uri = urldefrag(candidate.key_id).url
    return VerifiedRequest(key_id=candidate.key_id, actor_uri=actor_uri, scheme=candidate.scheme)
