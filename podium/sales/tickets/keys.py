"""House signing keys: one Ed25519 key pair per house, the private half encrypted at rest.

Tickets are signed with the house's newest active key; scanners receive every active
public key (`public_keys`), so codes signed with an older key stay valid until staff
deactivate that key.

Encryption at rest: the 32-byte private key is sealed with AES-256-GCM. The wrapping
key is not stored anywhere: it is derived from settings.SECRET_KEY with HKDF-SHA256
(a fixed, purpose-bound `info` label), so a copy of the database alone does not reveal
any private key. The key id and house id are bound in as associated data, so an
encrypted key copied onto another row does not decrypt. Rotating SECRET_KEY makes the
stored private keys unreadable: give the houses new keys then (old public keys keep
verifying tickets already sent).
"""

import base64
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from podium.core.audit import audit_log
from podium.core.sealing import seal, unseal
from podium.tenancy.models import House

from ..models import SigningKey

_HKDF_INFO = b"podium.sales.ticket-signing-key.v1"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _bound_to(*, house_id: int, key_id: str) -> str:
    return f"house={house_id};key={key_id}"


def _seal(raw: bytes, *, house_id: int, key_id: str) -> str:
    return seal(
        raw, purpose=_HKDF_INFO, bound_to=_bound_to(house_id=house_id, key_id=key_id)
    )


def _unseal(text: str, *, house_id: int, key_id: str) -> bytes:
    bound_to = _bound_to(house_id=house_id, key_id=key_id)
    return unseal(text, purpose=_HKDF_INFO, bound_to=bound_to)


def signing_key_for(*, house: House) -> SigningKey:
    """The house's newest active key; creates the house's first key pair on first use."""
    key = _newest_active(house)
    if key is not None:
        return key
    with transaction.atomic():
        # Lock the house row so that two first sales do not each create a key.
        House.objects.select_for_update().filter(pk=house.pk).first()
        key = _newest_active(house)
        if key is None:
            key = _create(house)
    return key


def _newest_active(house: House) -> SigningKey | None:
    return (
        SigningKey.objects.filter(house=house, is_active=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def _create(house: House) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key_id = secrets.token_hex(6)
    key = SigningKey.objects.create(
        house=house,
        key_id=key_id,
        public_key=_b64encode(raw_public),
        private_key_encrypted=_seal(raw_private, house_id=house.pk, key_id=key_id),
    )
    audit_log(
        action="podium.sales.signingkey.created",
        obj=key,
        actor=None,
        data={"key_id": key_id, "public_key": key.public_key},
    )
    return key


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """Decrypt `key`'s private half (only the signing code needs it)."""
    raw = _unseal(key.private_key_encrypted, house_id=key.house_id, key_id=key.key_id)
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_bytes(key: SigningKey) -> bytes:
    return _b64decode(key.public_key)


def public_keys(*, house: House) -> dict[str, bytes]:
    """Every active public key of the house, by key id: what a scanner needs offline."""
    rows = SigningKey.objects.filter(house=house, is_active=True).values_list(
        "key_id", "public_key"
    )
    return {key_id: _b64decode(public_key) for key_id, public_key in rows}
