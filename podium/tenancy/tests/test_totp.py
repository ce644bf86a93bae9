"""TOTP (RFC 6238) and the staff authenticator: test vectors, drift, no reuse."""

import hashlib
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import TOTP_SECRET
from podium.tenancy import totp
from podium.tenancy.models import StaffRecoveryCode, StaffTOTP
from podium.tenancy.two_factor import (
    TwoFactorError,
    recovery_codes_left,
    two_factor_confirm,
    two_factor_disable,
    two_factor_setup_needed,
    two_factor_start,
    two_factor_uri,
    two_factor_verify,
)

SEEDS = {
    hashlib.sha1: b"12345678901234567890",
    hashlib.sha256: b"12345678901234567890123456789012",
    hashlib.sha512: b"1234567890123456789012345678901234567890123456789012345678901234",
}
# RFC 6238 Appendix B: time, then the 8-digit TOTP for SHA-1, SHA-256, SHA-512.
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
AT = 1_800_000_000.0  # a fixed moment, at the start of a 30-second step
KEY = totp.secret_bytes(TOTP_SECRET)


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc_6238_test_vectors(at, sha1, sha256, sha512):
    for digest, expected in zip(SEEDS, (sha1, sha256, sha512), strict=True):
        assert totp.totp(SEEDS[digest], at, digits=8, digest=digest) == expected


def test_rfc_4226_hotp_vectors():
    codes = [totp.hotp(b"12345678901234567890", counter) for counter in range(4)]

    assert codes == ["755224", "287082", "359152", "969429"]


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_one_step_either_side_is_accepted(offset):
    code = totp.totp(KEY, AT + 30 * offset)

    assert totp.totp_match(KEY, code, AT) == totp.time_step(AT) + offset


@pytest.mark.parametrize("offset", [-2, 2, 10])
def test_a_code_further_off_is_refused(offset):
    code = totp.totp(KEY, AT + 30 * offset)

    assert totp.totp_match(KEY, code, AT) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_are_refused(code):
    assert totp.totp_match(KEY, code, AT) is None


def test_spaces_in_a_code_are_ignored():
    code = totp.totp(KEY, AT)

    assert totp.totp_match(KEY, f"{code[:3]} {code[3:]}", AT) is not None


def test_steps_already_used_are_refused():
    code = totp.totp(KEY, AT)
    step = totp.time_step(AT)

    assert totp.totp_match(KEY, code, AT, after_step=step) is None
    assert totp.totp_match(KEY, code, AT, after_step=step - 1) == step


def test_a_new_secret_is_160_bits_of_base32():
    secret = totp.secret_new()

    assert len(totp.secret_bytes(secret)) == 20
    assert secret != totp.secret_new()


def test_the_provisioning_uri_names_issuer_account_and_secret():
    uri = urlparse(totp.provisioning_uri("ABC", account="kassa one", issuer="Podium"))
    query = parse_qs(uri.query)

    assert (uri.scheme, uri.netloc, uri.path) == (
        "otpauth",
        "totp",
        "/Podium:kassa%20one",
    )
    assert query["secret"] == ["ABC"]
    assert query["issuer"] == ["Podium"]
    assert query["digits"] == ["6"] and query["period"] == ["30"]


# ------------------------------------------------------------ the stored authenticator


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, "ticketing")


def _code(device, at=AT):
    from podium.tenancy.two_factor import two_factor_secret

    return totp.totp(totp.secret_bytes(two_factor_secret(device)), at)


def test_the_secret_is_sealed_at_rest(clerk):
    device = two_factor_start(user=clerk, secret=TOTP_SECRET)

    assert TOTP_SECRET not in device.secret_sealed
    assert device.secret_sealed.startswith("aesgcm1:")
    assert TOTP_SECRET in two_factor_uri(device)


def test_a_sealed_secret_copied_to_another_user_does_not_open(
    clerk, house, staff_factory
):
    device = two_factor_start(user=clerk)
    other = staff_factory(house, "programmer")
    copy = StaffTOTP.objects.create(user=other, secret_sealed=device.secret_sealed)

    with pytest.raises(ValueError):
        two_factor_uri(copy)


def test_starting_twice_keeps_the_secret_until_confirmed(clerk):
    first = two_factor_start(user=clerk)
    again = two_factor_start(user=clerk)

    assert first.pk == again.pk and first.secret_sealed == again.secret_sealed


def test_confirming_needs_a_right_code_and_gives_ten_recovery_codes(clerk):
    device = two_factor_start(user=clerk)

    with pytest.raises(TwoFactorError):
        two_factor_confirm(user=clerk, code="000000", at=AT + 3600)
    codes = two_factor_confirm(user=clerk, code=_code(device), at=AT)

    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert device.last_used_step == totp.time_step(AT)
    stored = set(StaffRecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    with pytest.raises(TwoFactorError):
        two_factor_start(user=clerk)


def test_a_code_is_accepted_once_and_never_an_older_one(clerk):
    device = two_factor_start(user=clerk)
    two_factor_confirm(user=clerk, code=_code(device), at=AT)
    later = AT + 90

    assert not two_factor_verify(user=clerk, code=_code(device, AT), at=AT)
    assert two_factor_verify(user=clerk, code=_code(device, later), at=later)
    assert not two_factor_verify(user=clerk, code=_code(device, later), at=later)
    assert not two_factor_verify(user=clerk, code=_code(device, later - 30), at=later)


def test_a_recovery_code_works_once(clerk):
    device = two_factor_start(user=clerk)
    codes = two_factor_confirm(user=clerk, code=_code(device), at=AT)

    assert two_factor_verify(user=clerk, code=codes[3].upper(), at=AT)
    assert not two_factor_verify(user=clerk, code=codes[3], at=AT)
    assert recovery_codes_left(clerk) == 9


def test_an_unconfirmed_authenticator_verifies_nothing(clerk):
    device = two_factor_start(user=clerk)

    assert not two_factor_verify(user=clerk, code=_code(device), at=AT)


def test_staff_may_switch_it_off_with_a_current_code(clerk):
    device = two_factor_start(user=clerk)
    two_factor_confirm(user=clerk, code=_code(device), at=AT)

    with pytest.raises(TwoFactorError):
        two_factor_disable(user=clerk, code="123456", at=AT + 600)
    two_factor_disable(user=clerk, code=_code(device, AT + 60), at=AT + 60)

    assert not StaffTOTP.objects.filter(user=clerk).exists()
    assert not StaffRecoveryCode.objects.filter(user=clerk).exists()


def test_a_house_admin_may_not_switch_it_off(house, staff_factory):
    admin = staff_factory(house, "house_admin")

    with pytest.raises(TwoFactorError) as refused:
        two_factor_disable(user=admin, code=totp.totp(KEY, AT), at=AT)

    assert refused.value.code == "totp_required"
    assert StaffTOTP.objects.filter(user=admin).exists()


def test_only_house_admins_without_a_confirmed_authenticator_need_the_set_up(
    house, staff_factory
):
    admin_without = staff_factory(house, "house_admin", username="a1", totp=False)
    admin_with = staff_factory(house, "house_admin", username="a2")
    clerk = staff_factory(house, "ticketing")
    two_factor_start(user=admin_without)  # started, not confirmed

    assert two_factor_setup_needed(admin_without)
    assert not two_factor_setup_needed(admin_with)
    assert not two_factor_setup_needed(clerk)
