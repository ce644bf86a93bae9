"""Rules of the code base that a reviewer would otherwise have to remember."""

from pathlib import Path

from django.conf import settings

PODIUM = Path(settings.BASE_DIR) / "podium"


def _sources():
    for path in PODIUM.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


def test_only_tenancy_may_disable_the_tenant_scope():
    offenders = [
        str(path.relative_to(PODIUM))
        for path in _sources()
        if "scopes_disabled" in path.read_text()
        and not path.is_relative_to(PODIUM / "tenancy")
    ]

    assert offenders == []


def test_no_float_near_money():
    # Floats are fine for drawing coordinates (seat plans), never next to amounts.
    offenders = [
        str(path.relative_to(PODIUM))
        for path in _sources()
        if "FloatField" in path.read_text()
        and (
            "DecimalField" in path.read_text() or path.is_relative_to(PODIUM / "sales")
        )
    ]

    assert offenders == []
