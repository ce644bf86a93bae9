"""Two-factor authentication of staff: set-up, verification, recovery codes, disabling.

House administrators must have a confirmed authenticator; every other staff member
may. The TOTP secret is sealed at rest with AES-256-GCM under a key derived from
SECRET_KEY for this purpose only (as the ticket signing keys are), bound to the user
id; recovery codes are kept as keyed hashes and each works once. Accepting a code is
one conditional write, so a code (or a recovery code) is never accepted twice, not
even by two requests at the same moment.
"""

import base64
import hashlib
import hmac
import secrets
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import DomainError
from podium.core.sealing import derived_key, seal, unseal

from . import totp
from .models import StaffRecoveryCode, StaffRole, StaffTOTP

ISSUER = "Podium"
RECOVERY_CODE_COUNT = 10
_SEAL_INFO = b"podium.tenancy.staff-totp-secret.v1"
_RECOVERY_INFO = b"podium.tenancy.staff-recovery-code.v1"


class TwoFactorError(DomainError):
    pass


def _seal(secret: str, *, user_id: int) -> str:
    return seal(secret.encode("ascii"), purpose=_SEAL_INFO, bound_to=f"user={user_id}")


def _unseal(text: str, *, user_id: int) -> str:
    raw = unseal(text, purpose=_SEAL_INFO, bound_to=f"user={user_id}")
    return raw.decode("ascii")


def _recovery_hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return hmac.new(
        derived_key(_RECOVERY_INFO), normalised.encode(), hashlib.sha256
    ).hexdigest()


def _recovery_code_new() -> str:
    raw = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
    return f"{raw[:4]}-{raw[4:]}"


def two_factor_required(user) -> bool:
    """House administrators (of any house) must use a second factor."""
    return StaffRole.objects.filter(user=user, role=StaffRole.Role.HOUSE_ADMIN).exists()


def two_factor_device(user) -> StaffTOTP | None:
    """The user's confirmed authenticator, or None."""
    return StaffTOTP.objects.filter(user=user, confirmed_at__isnull=False).first()


def two_factor_secret(device: StaffTOTP) -> str:
    return _unseal(device.secret_sealed, user_id=device.user_id)


def two_factor_uri(device: StaffTOTP) -> str:
    return totp.provisioning_uri(
        two_factor_secret(device), account=device.user.get_username(), issuer=ISSUER
    )


def two_factor_start(*, user, secret: str | None = None) -> StaffTOTP:
    """The user's authenticator being set up (a new secret the first time).

    Asking again shows the same secret until it is confirmed, so reloading the page
    does not invalidate the code the member just scanned.
    """
    device = StaffTOTP.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise TwoFactorError(
            _("Two-step verification is already set up."), code="totp_confirmed"
        )
    if device is None:
        device = StaffTOTP.objects.create(
            user=user,
            secret_sealed=_seal(secret or totp.secret_new(), user_id=user.pk),
        )
    return device


def two_factor_confirm(*, user, code: str, at: float | None = None) -> list[str]:
    """Confirm the authenticator with its first code; returns fresh recovery codes."""
    with transaction.atomic():
        device = (
            StaffTOTP.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=True)
            .first()
        )
        if device is None:
            raise TwoFactorError(
                _("Start the set-up again."), code="totp_not_started", field="code"
            )
        key = totp.secret_bytes(two_factor_secret(device))
        step = totp.totp_match(key, code, time.time() if at is None else at)
        if step is None:
            raise TwoFactorError(
                _("This code is not right. Type the code your app shows now."),
                code="totp_wrong",
                field="code",
            )
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step", "updated_at"])
        codes = _recovery_codes_replace(user)
        audit_log(action="podium.tenancy.totp.confirmed", obj=device, actor=user)
    return codes


def _recovery_codes_replace(user) -> list[str]:
    StaffRecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    StaffRecoveryCode.objects.bulk_create(
        StaffRecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


def two_factor_verify(*, user, code: str, at: float | None = None) -> bool:
    """Is `code` a current code of the user's confirmed authenticator, or one of their
    unused recovery codes? An accepted code is used up."""
    device = two_factor_device(user)
    if device is None:
        return False
    key = totp.secret_bytes(two_factor_secret(device))
    now = time.time() if at is None else at
    step = totp.totp_match(key, code, now, after_step=device.last_used_step)
    if step is not None:
        # Conditional write: of two requests with the same code only one wins.
        return bool(
            StaffTOTP.objects.filter(pk=device.pk, last_used_step__lt=step).update(
                last_used_step=step, updated_at=timezone.now()
            )
        )
    used = StaffRecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        audit_log(
            action="podium.tenancy.totp.recovery_code_used",
            obj=device,
            actor=user,
            data={"left": recovery_codes_left(user)},
        )
    return bool(used)


def recovery_codes_left(user) -> int:
    return StaffRecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def two_factor_disable(*, user, code: str, at: float | None = None) -> None:
    """Remove the user's authenticator; a house administrator may not."""
    if two_factor_required(user):
        raise TwoFactorError(
            _("House administrators must keep two-step verification."),
            code="totp_required",
        )
    device = two_factor_device(user)
    if device is None:
        raise TwoFactorError(
            _("Two-step verification is not set up."), code="totp_not_started"
        )
    if not two_factor_verify(user=user, code=code, at=at):
        raise TwoFactorError(
            _("This code is not right. Type the code your app shows now."),
            code="totp_wrong",
            field="code",
        )
    with transaction.atomic():
        audit_log(action="podium.tenancy.totp.disabled", obj=device, actor=user)
        StaffRecoveryCode.objects.filter(user=user).delete()
        device.delete()


def two_factor_enrol(*, user, secret: str) -> StaffTOTP:
    """A confirmed authenticator with a known secret at once (demo logins, tests)."""
    StaffTOTP.objects.filter(user=user).delete()
    return StaffTOTP.objects.create(
        user=user,
        secret_sealed=_seal(secret, user_id=user.pk),
        confirmed_at=timezone.now(),
    )


def two_factor_setup_needed(user) -> bool:
    """A house administrator without a confirmed authenticator (one query)."""
    return (
        StaffRole.objects.filter(user=user, role=StaffRole.Role.HOUSE_ADMIN)
        .exclude(user__totp__confirmed_at__isnull=False)
        .exists()
    )
