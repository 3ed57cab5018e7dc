"""Keys and the signature algorithms of both schemes, on the ``cryptography`` package.

The verifier derives the algorithm from the key, as both specs ask (draft-cavage-12 section 2.5,
RFC 9421 section 3.2): the ``algorithm``/``alg`` parameter only narrows the choice, it never
selects a weaker one. Mastodon and most of the fediverse send RSA keys with RSASSA-PKCS1-v1_5
over SHA-256, under either the name ``rsa-sha256`` or ``hs2019``.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from veille.federation.signatures.common import SignatureError

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
Verifier = Callable[[PublicKey, bytes, bytes], None]  # raises InvalidSignature

# RFC 9421 section 3.3.1: RSASSA-PSS with SHA-512, MGF1 SHA-512 and a 64-byte salt.
PSS_SHA512 = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)


def load_public_key(pem: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SignatureError("unknown_key", "the public key is not a readable PEM key") from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise SignatureError("unsupported", f"keys of type {type(key).__name__} are not supported")
    return key


def load_private_key(pem: str):
    """One of our own keys (made by keys.generate_key_pair, read from our database).

    OpenSSL's RSA key validation (primality of p and q...) takes about 200 ms per load here, which
    would cost more than the signing itself at every delivery; our own keys need no such check.
    """
    return serialization.load_pem_private_key(
        pem.encode(), password=None, unsafe_skip_rsa_key_validation=True
    )


def _rsa_v1_5_sha256(key, data: bytes, signature: bytes) -> None:
    key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())


def _rsa_pss_sha512(key, data: bytes, signature: bytes) -> None:
    key.verify(signature, data, PSS_SHA512, hashes.SHA512())


def _ecdsa_der_sha256(key, data: bytes, signature: bytes) -> None:
    key.verify(signature, data, ec.ECDSA(hashes.SHA256()))


def _ecdsa_p256_raw_sha256(key, data: bytes, signature: bytes) -> None:
    """RFC 9421 section 3.3.4: the signature is r and s, 32 bytes each, not DER."""
    if len(signature) != 64:
        raise InvalidSignature
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key.verify(der, data, ec.ECDSA(hashes.SHA256()))


def _ed25519(key, data: bytes, signature: bytes) -> None:
    key.verify(signature, data)


# (scheme, algorithm parameter) -> the verifiers allowed for each kind of key.
_RSA, _EC, _ED = "rsa", "ec", "ed25519"
ALGORITHMS: dict[tuple[str, str | None], dict[str, tuple[Verifier, ...]]] = {
    ("cavage", None): {_RSA: (_rsa_v1_5_sha256,), _EC: (_ecdsa_der_sha256,), _ED: (_ed25519,)},
    ("cavage", "rsa-sha256"): {_RSA: (_rsa_v1_5_sha256,)},
    ("cavage", "hs2019"): {
        _RSA: (_rsa_v1_5_sha256, _rsa_pss_sha512),
        _EC: (_ecdsa_der_sha256,),
        _ED: (_ed25519,),
    },
    ("cavage", "ecdsa-sha256"): {_EC: (_ecdsa_der_sha256,)},
    ("cavage", "ed25519"): {_ED: (_ed25519,)},
    ("rfc9421", None): {
        _RSA: (_rsa_v1_5_sha256, _rsa_pss_sha512),
        _EC: (_ecdsa_p256_raw_sha256,),
        _ED: (_ed25519,),
    },
    ("rfc9421", "rsa-v1_5-sha256"): {_RSA: (_rsa_v1_5_sha256,)},
    ("rfc9421", "rsa-pss-sha512"): {_RSA: (_rsa_pss_sha512,)},
    ("rfc9421", "ecdsa-p256-sha256"): {_EC: (_ecdsa_p256_raw_sha256,)},
    ("rfc9421", "ed25519"): {_ED: (_ed25519,)},
}


def check_algorithm(scheme: str, algorithm: str | None) -> None:
    if (scheme, algorithm) not in ALGORITHMS:
        raise SignatureError("unsupported", f"the algorithm {algorithm!r} is not supported")


def _kind(key: PublicKey) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return _RSA
    if isinstance(key, ec.EllipticCurvePublicKey):
        return _EC if isinstance(key.curve, ec.SECP256R1) else "other"
    return _ED


def verifies(
    pem: str, *, scheme: str, algorithm: str | None, data: bytes, signature: bytes
) -> bool:
    """Whether ``signature`` is one of ``pem``'s over ``data`` (with an allowed algorithm)."""
    key = load_public_key(pem)
    for verify in ALGORITHMS[(scheme, algorithm)].get(_kind(key), ()):
        try:
            verify(key, data, signature)
        except (InvalidSignature, ValueError):
            continue
        return True
    return False


def sign_rsa_sha256(private_key_pem: str, data: bytes) -> bytes:
    key = load_private_key(private_key_pem)
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def sign_for_rfc9421(private_key_pem: str, data: bytes) -> tuple[bytes, str]:
    """The signature of ``data`` and its RFC 9421 algorithm name, chosen by the key's type."""
    key = load_private_key(private_key_pem)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data), "ed25519"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big"), "ecdsa-p256-sha256"
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, PSS_SHA512, hashes.SHA512()), "rsa-pss-sha512"
    raise SignatureError("unsupported", f"cannot sign with a {type(key).__name__}")
