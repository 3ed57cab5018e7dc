"""The RSA key pairs our actors sign with: one per topic, per curator, and one for the instance.

Keys are made on first use (RSA 2048, the size Mastodon uses), race-safe: two requests that both
find no key make one each, the database keeps the first (a one-owner unique constraint) and the
loser reads it back.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from veille.federation.models import ActorKey

KEY_SIZE = 2048


def generate_key_pair() -> tuple[str, str]:
    """A new (private PEM in PKCS#8, public PEM in SubjectPublicKeyInfo) pair."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem.decode(), public_pem.decode()


def _key(**owner) -> ActorKey:
    key = ActorKey.objects.filter(**owner).first()
    if key is not None:
        return key
    private_pem, public_pem = generate_key_pair()
    try:
        with transaction.atomic():
            return ActorKey.objects.create(
                **owner, private_key_pem=private_pem, public_key_pem=public_pem
            )
    except IntegrityError:
        return ActorKey.objects.get(**owner)


def key_for_topic(topic) -> ActorKey:
    return _key(topic=topic)


def key_for_user(user) -> ActorKey:
    return _key(user=user)


def instance_key() -> ActorKey:
    return _key(is_instance=True)
