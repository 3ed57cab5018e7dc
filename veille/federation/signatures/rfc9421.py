"""RFC 9421 (HTTP Message Signatures): ``Signature-Input`` and ``Signature``.

https://www.rfc-editor.org/rfc/rfc9421. Covers the derived components a request or response
signature of the fediverse uses (``@method``, ``@target-uri``, ``@authority``, ``@scheme``,
``@path``, ``@query``, ``@request-target``, ``@status``) and header fields; component parameters
(``;sf``, ``;key``, ``;bs``, ``;req``, ``@query-param``) are refused as unsupported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from veille.federation.signatures import crypto, structured
from veille.federation.signatures.common import (
    HeaderValue,
    SignatureError,
    field_value,
    lower_keys,
    normalized_authority,
)


@dataclass(frozen=True)
class Message:
    """What a signature base is made of: a request (method, target URI) or a response (status)."""

    headers: Mapping[str, HeaderValue]
    method: str = ""
    target_uri: str = ""  # absolute: scheme://authority/path?query
    status: int | None = None


@dataclass(frozen=True)
class MessageSignature:
    label: str
    components: tuple[str, ...]
    params: dict[str, object] = field(default_factory=dict)
    signature: bytes = b""

    @property
    def key_id(self) -> str:
        return str(self.params.get("keyid", ""))

    @property
    def algorithm(self) -> str | None:
        alg = self.params.get("alg")
        return str(alg) if alg is not None else None

    def params_text(self) -> str:
        items = [structured.Item(name) for name in self.components]
        return structured.serialize_inner_list(structured.InnerList(items, self.params))


def _request_target(target_uri: str) -> tuple[str, str, str, str]:
    parts = urlsplit(target_uri)
    return parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query


def _derived(name: str, message: Message) -> str:
    if name == "@status":
        if message.status is None:
            raise SignatureError("bad_signature", "@status is signed on a request")
        return str(message.status)
    scheme, netloc, path, query = _request_target(message.target_uri)
    values = {
        "@method": message.method.upper(),
        "@target-uri": message.target_uri,
        "@authority": normalized_authority(netloc, scheme),
        "@scheme": scheme,
        "@path": path,
        "@query": f"?{query}",
        "@request-target": f"{path}?{query}" if query else path,
    }
    if name not in values:
        raise SignatureError("unsupported", f"the component {name} is not supported")
    return values[name]


def _component(name: str, message: Message, headers: Mapping[str, HeaderValue]) -> str:
    if name.startswith("@"):
        return _derived(name, message)
    value = field_value(headers, name)
    if value is None:
        raise SignatureError("bad_signature", f"the signed header {name} is missing")
    return value


def signature_base(message: Message, signature: MessageSignature) -> bytes:
    """Section 2.5: one line per covered component, then the ``@signature-params`` line."""
    headers = lower_keys(message.headers)
    lines = []
    for name in signature.components:
        if name != name.lower() or name == "@signature-params":
            raise SignatureError("bad_signature", f"{name!r} cannot be a covered component")
        lines.append(f'"{name}": {_component(name, message, headers)}')
    lines.append(f'"@signature-params": {signature.params_text()}')
    return "\n".join(lines).encode()


def _covered(inner: structured.InnerList) -> tuple[str, ...]:
    names = []
    for item in inner.items:
        if not isinstance(item.value, str) or isinstance(item.value, structured.Token):
            raise SignatureError("bad_signature", "a covered component is not a string")
        if item.params:
            raise SignatureError("unsupported", "component parameters are not supported")
        names.append(item.value)
    if len(set(names)) != len(names):
        raise SignatureError("bad_signature", "a component is covered twice")
    return tuple(names)


def parse_signatures(signature_input: str, signature: str) -> list[MessageSignature]:
    """The signatures of a message, in the order of ``Signature-Input``."""
    try:
        inputs = structured.parse_dictionary(signature_input)
        values = structured.parse_dictionary(signature)
    except structured.StructuredError as exc:
        raise SignatureError("bad_signature", f"malformed signature fields: {exc}") from exc
    found = []
    for label, inner in inputs.items():
        value = values.get(label)
        if not isinstance(inner, structured.InnerList) or value is None:
            continue
        if not isinstance(value, structured.Item) or not isinstance(value.value, bytes):
            raise SignatureError("bad_signature", f"the signature {label} is not a byte sequence")
        found.append(MessageSignature(label, _covered(inner), dict(inner.params), value.value))
    if not found:
        raise SignatureError("bad_signature", "no signature matches a Signature-Input entry")
    return found


def header_fields(signature: MessageSignature) -> dict[str, str]:
    """The ``Signature-Input`` and ``Signature`` values that carry ``signature``."""
    value = structured.serialize_bare_item(signature.signature)
    return {
        "Signature-Input": f"{signature.label}={signature.params_text()}",
        "Signature": f"{signature.label}={value}",
    }


def sign(
    message: Message,
    *,
    label: str,
    components: tuple[str, ...],
    params: dict[str, object],
    private_key_pem: str,
) -> MessageSignature:
    """Sign ``message`` (the algorithm follows the key: ed25519, ecdsa-p256-sha256, rsa-pss)."""
    unsigned = MessageSignature(label, tuple(components), dict(params))
    value, _algorithm = crypto.sign_for_rfc9421(private_key_pem, signature_base(message, unsigned))
    return replace(unsigned, signature=value)
