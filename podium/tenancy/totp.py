"""Time-based one-time passwords (RFC 6238 on RFC 4226 HOTP): pure functions.

Authenticator apps (any of them) agree on SHA-1, six digits and 30-second steps;
`totp_match` accepts the code of the current step and of one step either side, so
a phone clock a little off, or a code typed just as it changed, still works.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1


def secret_new() -> str:
    """A fresh 160-bit secret in base32 (what authenticator apps read), no padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 §5.3: HMAC the 8-byte counter, truncate dynamically, keep `digits`."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(at: float) -> int:
    """The 30-second step that the Unix time `at` falls in."""
    return int(at) // STEP_SECONDS


def totp(key: bytes, at: float, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    return hotp(key, time_step(at), digits=digits, digest=digest)


def totp_match(key: bytes, code: str, at: float, *, after_step: int = 0) -> int | None:
    """The step whose code `code` is (now, or one step either side), or None.

    Steps up to and including `after_step` are refused: a code that was accepted once
    is never accepted again, nor any older one.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI (Google Authenticator key URI format) a QR code carries."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"
