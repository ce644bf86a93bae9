"""House signing keys and the signed ticket code in the QR."""

import base64
import string

import pytest
from cryptography.hazmat.primitives import serialization

from podium.core.models import AuditEntry
from podium.sales.models import SigningKey
from podium.sales.tickets.errors import TicketInvalid, TicketInvalidReason
from podium.sales.tickets.keys import (
    private_key,
    public_key_bytes,
    public_keys,
    signing_key_for,
)
from podium.sales.tickets.signing import payload_verify, ticket_payload

from .test_tickets_support import make_order

ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


@pytest.fixture
def ticket(house):
    return make_order(house, tickets=1).tickets.get()


@pytest.fixture
def payload(ticket):
    return ticket_payload(ticket)


def _raw_private(key) -> bytes:
    return private_key(key).private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def test_a_house_key_is_created_once_and_reused(scoped, house):
    first = signing_key_for(house=house)
    second = signing_key_for(house=house)

    assert second.pk == first.pk
    assert SigningKey.objects.filter(house=house).count() == 1
    assert (
        AuditEntry.objects.filter(
            action="podium.sales.signingkey.created", object_id=str(first.pk)
        ).count()
        == 1
    )


def test_the_private_key_is_encrypted_at_rest(scoped, house):
    key = signing_key_for(house=house)
    stored = SigningKey.objects.get(pk=key.pk).private_key_encrypted
    raw = _raw_private(key)

    spellings = [
        raw.hex(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]
    assert stored.startswith("aesgcm1:")
    assert [s for s in spellings if s in stored] == []
    assert len(raw) == 32
    # The decrypted private key belongs to the stored public key.
    assert private_key(key).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ) == public_key_bytes(key)


def test_an_encrypted_key_moved_to_another_row_does_not_decrypt(
    scoped, house, other_house
):
    key = signing_key_for(house=house)
    moved = SigningKey(
        house=other_house,
        key_id="0123456789ab",
        public_key=key.public_key,
        private_key_encrypted=key.private_key_encrypted,
    )

    with pytest.raises(ValueError, match="does not decrypt"):
        private_key(moved)


def test_a_changed_secret_key_cannot_decrypt(scoped, house, settings):
    key = signing_key_for(house=house)
    settings.SECRET_KEY = "another-deployment-secret"

    with pytest.raises(ValueError, match="SECRET_KEY"):
        private_key(key)


def test_the_code_verifies_with_the_house_public_key(scoped, house, ticket, payload):
    claims = payload_verify(payload, public_keys(house=house))

    assert payload.startswith("PD1.")
    assert payload.count(".") == 2
    assert set(payload) <= set(ALPHABET + ".")
    assert claims.key_id == signing_key_for(house=house).key_id
    assert (claims.house_id, claims.performance_id, claims.ticket_id) == (
        house.pk,
        ticket.performance_id,
        ticket.pk,
    )
    assert (claims.secret, claims.version) == (ticket.secret, 1)


def test_the_code_is_small_enough_for_a_comfortable_qr(payload):
    assert len(payload) <= 200


def _changed(text: str, index: int) -> str:
    char = text[index]
    if char in ALPHABET:
        new = ALPHABET[(ALPHABET.index(char) + 1) % len(ALPHABET)]
    else:
        new = "A" if char != "A" else "B"
    return text[:index] + new + text[index + 1 :]


@pytest.mark.parametrize(
    ("part", "index"),
    [
        ("prefix", 0),
        ("prefix", 2),
        ("separator", 0),
        ("payload", 0),
        ("payload", 1),
        ("payload", 20),
        ("payload", 40),
        ("payload", -2),
        ("payload", -1),
        ("separator", 1),
        ("signature", 0),
        ("signature", 1),
        ("signature", 43),
        ("signature", -2),
        ("signature", -1),  # holds 4 unused bits: strict decoding must notice
    ],
)
def test_changing_one_character_of_the_code_fails(scoped, house, payload, part, index):
    prefix, body, signature = payload.split(".")
    if part == "prefix":
        position = index
    elif part == "separator":
        position = [len(prefix), len(prefix) + 1 + len(body)][index]
    elif part == "payload":
        position = len(prefix) + 1 + (index % len(body))
    else:
        position = len(prefix) + 1 + len(body) + 1 + (index % len(signature))
    tampered = _changed(payload, position)

    assert tampered != payload
    with pytest.raises(TicketInvalid) as caught:
        payload_verify(tampered, public_keys(house=house))
    assert caught.value.code == "ticket_invalid"
    assert caught.value.reason in {
        TicketInvalidReason.MALFORMED,
        TicketInvalidReason.UNKNOWN_KEY,
        TicketInvalidReason.BAD_SIGNATURE,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.mark.parametrize("part", [1, 2], ids=["payload", "signature"])
def test_changing_any_byte_of_payload_or_signature_fails(scoped, house, payload, part):
    parts = payload.split(".")
    data = _unb64(parts[part])
    keys = public_keys(house=house)
    accepted = []

    for position in range(len(data)):
        for bit in (0x01, 0x80):
            changed = bytearray(data)
            changed[position] ^= bit
            tampered = list(parts)
            tampered[part] = _b64(bytes(changed))
            try:
                payload_verify(".".join(tampered), keys)
            except TicketInvalid:
                continue
            accepted.append((position, bit))

    assert accepted == []


def test_the_unchanged_code_still_verifies_after_all_that(scoped, house, payload):
    assert payload_verify(payload, public_keys(house=house)).version == 1


def test_another_house_key_does_not_verify(scoped, house, other_house, payload):
    other = signing_key_for(house=other_house)

    with pytest.raises(TicketInvalid) as unknown:
        payload_verify(payload, {other.key_id: public_key_bytes(other)})
    own_id = signing_key_for(house=house).key_id
    with pytest.raises(TicketInvalid) as forged:
        payload_verify(payload, {own_id: public_key_bytes(other)})

    assert unknown.value.reason == TicketInvalidReason.UNKNOWN_KEY
    assert forged.value.reason == TicketInvalidReason.BAD_SIGNATURE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PD1",
        "PD1..",
        "hello world",
        "PD2.AAAA.AAAA",
        "PD1.AAAA.AAAA",
        "PD1.AAAA.AAAA.AAAA",
        "PD1.AA==.AAAA",
        "https://example.org/?t=PD1.AAAA.AAAA",
    ],
)
def test_malformed_codes_are_refused_as_malformed(text):
    with pytest.raises(TicketInvalid) as caught:
        payload_verify(text, {})

    assert caught.value.reason == TicketInvalidReason.MALFORMED


def test_a_truncated_or_extended_code_is_refused(scoped, house, payload):
    keys = public_keys(house=house)

    for tampered in (payload[:-1], payload + "A", payload[:-4], "x" + payload):
        with pytest.raises(TicketInvalid):
            payload_verify(tampered, keys)


def test_verification_needs_only_the_public_key(scoped, house, payload):
    # What a scanner holds offline: key ids and raw 32-byte public keys, nothing else.
    offline = {k: bytes(v) for k, v in public_keys(house=house).items()}

    assert [len(v) for v in offline.values()] == [32]
    assert payload_verify(payload, offline).house_id == house.pk


def test_old_active_keys_keep_verifying(scoped, house, ticket, payload):
    old = signing_key_for(house=house)
    SigningKey.objects.filter(pk=old.pk).update(is_active=False)
    new_payload = ticket_payload(ticket)
    new = signing_key_for(house=house)
    SigningKey.objects.filter(pk=old.pk).update(is_active=True)

    assert new.pk != old.pk
    # The newest active key signs; both are handed to scanners.
    assert signing_key_for(house=house).pk == new.pk
    assert set(public_keys(house=house)) == {old.key_id, new.key_id}
    assert payload_verify(payload, public_keys(house=house)).key_id == old.key_id
    assert payload_verify(new_payload, public_keys(house=house)).key_id == new.key_id
