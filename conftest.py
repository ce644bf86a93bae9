"""Fixtures shared by every app's tests: two houses in one cluster, staff per role.

Fixture set-up runs with scopes disabled; a test body that needs a house scope asks
for the `scoped` fixture (or enters `house_scope` itself).
"""

import importlib
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation
from django_scopes import scopes_disabled
from django_scopes.state import state as scope_state

from podium.tenancy import totp
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory
from podium.tenancy.two_factor import two_factor_enrol

PASSWORD = "correct-horse-battery-staple"
# The authenticator secret of staff that make_staff gives one (house admins).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # `scoped` enters the scope that the test body runs in; every other fixture sets
    # up data across tenants, as a platform operator would.
    if fixturedef.argname == "scoped":
        return (yield)
    with scopes_disabled():
        return (yield)


# A generator fixture that enters a scope restores, at its teardown, the state that
# the set-up hook above captured (scopes disabled) for every later test of the
# process. So every test starts and ends with no scope at all.
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    scope_state.set(None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        scope_state.set(None)


@pytest.fixture(autouse=True)
def _seeded_taxonomy(request):
    """Transactional tests flush the database, taxonomy terms seeded by a migration
    included; put them back for any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    ensure_taxonomy()


def ensure_taxonomy() -> None:
    """Seed the taxonomy terms again when a transactional test flushed them."""
    from django.apps import apps

    from podium.catalog.models import TaxonomyTerm

    if not TaxonomyTerm.objects.exists():
        seed = importlib.import_module("podium.catalog.migrations.0002_taxonomy_terms")
        seed.load_terms(apps, None)


@pytest.fixture(autouse=True)
def english_outside_requests():
    # Domain code speaks the active language; tests of services compare with the
    # English source messages. Requests still get Dutch first from LocaleMiddleware.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # Log-in failure counters (and any other cached state) must not leak between tests.
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2 costs ~0.25 s a user; the tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_api_rate_limits(settings):
    # The suite calls the API far faster than any client may (schemathesis runs
    # hundreds of calls a test); podium/api/tests/test_ratelimit.py sets limits.
    settings.PODIUM_API_RATE_PER_KEY = ""
    settings.PODIUM_API_RATE_PER_IP = ""


@pytest.fixture(autouse=True)
def no_shared_caches(settings):
    # Tests change data and look again at once; podium/shop/tests/test_page_cache.py
    # and podium/tenancy/tests/test_middleware.py turn these caches on.
    settings.PODIUM_PAGE_CACHE_SECONDS = 0
    settings.PODIUM_CLUSTER_CACHE_SECONDS = 0


@pytest.fixture
def cluster(db):
    return ClusterFactory(slug="regio-test", name="Regio Test")


@pytest.fixture
def house(cluster):
    return HouseFactory(cluster=cluster, slug="house-a", name="Huis A")


@pytest.fixture
def other_house(cluster):
    return HouseFactory(cluster=cluster, slug="house-b", name="Huis B")


@pytest.fixture
def hall(house):
    return HallFactory(house=house, name="Grote zaal")


@pytest.fixture
def scoped(house):
    with house_scope(house):
        yield house


def make_staff(house, role, username=None, cluster=None, totp=None):
    """A staff member with `role`; `totp=True` gives them a confirmed authenticator
    with TOTP_SECRET. House administrators get one unless `totp=False`: the office
    sends an administrator without one to the set-up page."""
    user = get_user_model().objects.create_user(
        username=username or f"{role}-{house.slug if house else cluster.slug}",
        password=PASSWORD,
    )
    if role == StaffRole.Role.CLUSTER_COORDINATOR:
        StaffRole.objects.create(user=user, role=role, cluster=cluster or house.cluster)
    else:
        StaffRole.objects.create(user=user, role=role, house=house)
    if totp or (totp is None and role == StaffRole.Role.HOUSE_ADMIN):
        two_factor_enrol(user=user, secret=TOTP_SECRET)
    return user


def totp_now(secret: str = TOTP_SECRET, *, offset_steps: int = 0) -> str:
    """The code an authenticator with `secret` shows now (or `offset_steps` later)."""
    return totp.totp(totp.secret_bytes(secret), time.time() + 30 * offset_steps)


@pytest.fixture
def staff_factory(db):
    return make_staff
