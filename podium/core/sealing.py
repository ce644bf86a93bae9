"""Secrets kept encrypted at rest: AES-256-GCM under a key derived from SECRET_KEY.

The wrapping key is stored nowhere: HKDF-SHA256 derives it from settings.SECRET_KEY
with a label per purpose (ticket signing keys, staff TOTP secrets), so a copy of the
database alone reveals nothing. `bound_to` (e.g. "user=12") is authenticated with the
text, so a sealed value copied onto another row does not open. Rotating SECRET_KEY
makes every sealed value unreadable.

    aesgcm1:<base64url(nonce · ciphertext · tag)>
"""

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT = "aesgcm1"  # prefix of the stored text; a new scheme gets a new prefix
_NONCE_BYTES = 12


def derived_key(purpose: bytes) -> bytes:
    """A 256-bit key for `purpose` alone, derived from the deployment secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        settings.SECRET_KEY.encode()
    )


def seal(raw: bytes, *, purpose: bytes, bound_to: str) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(derived_key(purpose)).encrypt(nonce, raw, bound_to.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{FORMAT}:{body}"


def unseal(text: str, *, purpose: bytes, bound_to: str) -> bytes:
    """The raw secret; ValueError when the format is unknown or it does not open
    (another row's value, or SECRET_KEY changed)."""
    scheme, _sep, body = text.partition(":")
    if scheme != FORMAT:
        raise ValueError(f"Unknown sealed format {scheme!r}")
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    try:
        return AESGCM(derived_key(purpose)).decrypt(
            blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], bound_to.encode()
        )
    except InvalidTag as error:
        raise ValueError(
            f"The sealed value for {bound_to} does not decrypt: was SECRET_KEY changed?"
        ) from error
