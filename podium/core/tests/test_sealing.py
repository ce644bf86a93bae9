import base64

import pytest

from podium.core.sealing import seal, unseal

PURPOSE = b"podium.tests.sealing.v1"


def test_a_sealed_secret_opens_only_for_its_purpose_and_row():
    sealed = seal(b"geheim", purpose=PURPOSE, bound_to="user=1")

    assert sealed.startswith("aesgcm1:") and "geheim" not in sealed
    assert unseal(sealed, purpose=PURPOSE, bound_to="user=1") == b"geheim"
    with pytest.raises(ValueError, match="does not decrypt"):
        unseal(sealed, purpose=PURPOSE, bound_to="user=2")
    with pytest.raises(ValueError, match="does not decrypt"):
        unseal(sealed, purpose=b"another purpose", bound_to="user=1")
    with pytest.raises(ValueError, match="Unknown sealed format"):
        unseal("rot13:" + sealed.partition(":")[2], purpose=PURPOSE, bound_to="user=1")


def test_values_stored_with_base64_padding_still_open():
    # Staff TOTP secrets were stored padded before both sealers became one.
    body = seal(b"abc", purpose=PURPOSE, bound_to="user=1").partition(":")[2]
    padded = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    ).decode()

    assert unseal(f"aesgcm1:{padded}", purpose=PURPOSE, bound_to="user=1") == b"abc"
