from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.core.i18n import I18nField
from podium.core.models import BaseModel

from .validators import (
    normalize_enterprise_number,
    validate_enterprise_number,
    validate_hex_colour,
)


class Cluster(BaseModel):
    """A group of houses sharing one platform: one login and basket for visitors."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    domain = models.CharField(
        _("domain"),
        max_length=253,
        blank=True,
        help_text=_("Host name of the cluster's webshop."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="cluster_domain_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class House(BaseModel):
    """A culture house: the tenant. Everything it sells or plans carries house_id."""

    class Kind(models.TextChoices):
        CULTURAL_CENTRE = "cultuurcentrum", _("Cultural centre")
        COMMUNITY_CENTRE = "gemeenschapscentrum", _("Community centre")
        ARTS_ORGANISATION = "kunstenorganisatie", _("Arts organisation")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="houses"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise / VAT number"),
        max_length=20,
        validators=[validate_enterprise_number],
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="BE")
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="house-logos/", blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#7a1f5c",
        validators=[validate_hex_colour],
    )
    timezone = models.CharField(
        _("time zone"), max_length=50, default="Europe/Brussels"
    )
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Store one canonical spelling (BE0123.456.789); an invalid number is already
        # reported by the field's validator.
        try:
            self.enterprise_number = normalize_enterprise_number(self.enterprise_number)
        except ValidationError:
            pass


class Venue(BaseModel):
    """A building of a house (a house may play in several)."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="BE")
    wheelchair_accessible = models.BooleanField(
        _("wheelchair accessible"),
        default=False,
        help_text=_("Step-free entrance and wheelchair spaces in its halls."),
    )
    access_info = I18nField(
        _("access and parking"),
        blank=True,
        multiline=True,
        help_text=_("How to get there: public transport, parking, the entrance."),
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Hall(BaseModel):
    class Kind(models.TextChoices):
        SEATED = "seated", _("Seated")
        STANDING = "standing", _("Standing")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="halls")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="halls")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["venue__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="hall_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue.name})"

    def clean(self):
        if self.venue_id and self.house_id and self.venue.house_id != self.house_id:
            raise ValidationError({"venue": _("This venue belongs to another house.")})


class StaffRole(BaseModel):
    """A role a staff member holds in one house, or across a cluster (coordinator)."""

    class Role(models.TextChoices):
        HOUSE_ADMIN = "house_admin", _("House administrator")
        PROGRAMMER = "programmer", _("Programmer")
        TICKETING = "ticketing", _("Ticketing officer")
        AUDIENCE = "audience", _("Audience & communication")
        PRODUCTION = "production", _("Production officer")
        CLUSTER_COORDINATOR = "cluster_coordinator", _("Cluster coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    house = models.ForeignKey(
        House,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staffrole_house_xor_cluster",
                condition=(
                    Q(house__isnull=False, cluster__isnull=True)
                    & ~Q(role="cluster_coordinator")
                )
                | Q(
                    house__isnull=True,
                    cluster__isnull=False,
                    role="cluster_coordinator",
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "house", "role"], name="staffrole_unique_house_role"
            ),
            models.UniqueConstraint(
                fields=["user", "cluster", "role"], name="staffrole_unique_cluster_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.house or self.cluster}"


class ApiKey(BaseModel):
    """A house's key for its own tools and partners; only the SHA-256 of the secret is kept."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_label(self) -> str:
        return f"API key {self.prefix}: {self.name}"


class StaffTOTP(BaseModel):
    """A staff member's authenticator (RFC 6238), the secret sealed at rest.

    Unconfirmed until the member types a first right code; `last_used_step` is the
    30-second step of the newest accepted code, so a code is never accepted twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp"
    )
    secret_sealed = models.CharField(max_length=200)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user} ({'confirmed' if self.confirmed_at else 'set-up'})"


class StaffRecoveryCode(BaseModel):
    """One one-time recovery code of a staff member; only a keyed hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="recoverycode_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} recovery code ({'used' if self.used_at else 'unused'})"
