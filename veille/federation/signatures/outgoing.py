"""Signing our requests: draft-cavage-12 with rsa-sha256, what every fediverse server verifies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from veille.federation.signatures import cavage, crypto
from veille.federation.signatures.common import DEFAULT_PORTS
from veille.federation.signatures.digest import digest_header

GET_HEADERS = ("(request-target)", "host", "date")
POST_HEADERS = (*GET_HEADERS, "digest")


def host_header(url: str) -> str:
    """The Host a request to ``url`` carries: the port only when it is not the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"


def request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def signed_headers(
    *,
    method: str,
    url: str,
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers to send with a request: Host, Date, Digest (with a body), ``headers``, Signature.

    Signs ``(request-target) host date`` (and ``digest`` with a body) with rsa-sha256, the shape
    Mastodon requires. A Host or Date given in ``headers`` is the one signed.
    """
    out = {
        "Host": host_header(url),
        "Date": format_datetime(datetime.now(UTC), usegmt=True),
    }
    if body is not None:
        out["Digest"] = digest_header(body)
    for name, value in (headers or {}).items():
        for existing in [key for key in out if key.lower() == name.lower()]:
            del out[existing]
        out[name] = value
    names = POST_HEADERS if body is not None else GET_HEADERS
    unsigned = cavage.CavageSignature(key_id, "rsa-sha256", names, b"")
    lowered = {name.lower(): value for name, value in out.items()}
    data = cavage.signing_string(
        unsigned, method=method, target=request_target(url), headers=lowered
    )
    signature = crypto.sign_rsa_sha256(private_key_pem, data)
    out["Signature"] = cavage.signature_header(key_id=key_id, headers=names, signature=signature)
    return out
