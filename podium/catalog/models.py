from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.core.i18n import I18nField, localize
from podium.core.models import BaseModel
from podium.core.text import fold, plain
from podium.tenancy.models import Hall, House


class TaxonomyTerm(models.Model):
    """A UiTdatabank taxonomy term: event types (disciplines) and themes (genres).

    The id is UiTdatabank's own, so that an event can later be published there as is.
    """

    class Domain(models.TextChoices):
        EVENT_TYPE = "eventtype", _("Event type")
        THEME = "theme", _("Theme")

    id = models.CharField(primary_key=True, max_length=40)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    name = I18nField(_("name"))
    suggested_themes = models.ManyToManyField("self", symmetrical=False, blank=True)

    class Meta:
        ordering = ["domain", "id"]

    def __str__(self) -> str:
        return localize(self.name)


class Artist(BaseModel):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="artists")
    name = models.CharField(_("name"), max_length=200)
    bio = I18nField(_("short biography"), blank=True, multiline=True)
    website = models.URLField(_("website"), blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Production(BaseModel):
    """What a house programmes: a show, concert or film, played in one or more performances."""

    class Language(models.TextChoices):
        NONE = "none", _("No spoken language")
        DUTCH = "nl", _("Dutch")
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        GERMAN = "de", _("German")
        MULTILINGUAL = "multi", _("Multilingual")
        OTHER = "other", _("Other language")

    house = models.ForeignKey(
        House, on_delete=models.CASCADE, related_name="productions"
    )
    title = I18nField(_("title"), max_length=200)
    subtitle = I18nField(_("subtitle"), blank=True, max_length=300)
    description = I18nField(_("description"), blank=True, rich=True)
    event_type = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("discipline"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"domain": TaxonomyTerm.Domain.EVENT_TYPE},
    )
    themes = models.ManyToManyField(
        TaxonomyTerm,
        verbose_name=_("genres"),
        blank=True,
        related_name="+",
        limit_choices_to={"domain": TaxonomyTerm.Domain.THEME},
    )
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.DUTCH
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    artists = models.ManyToManyField(
        Artist, verbose_name=_("artists"), blank=True, related_name="productions"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Derived on save: the readable URL part (from the Dutch title, unique in the
    # house) and every text folded for search in any language, accents ignored.
    slug = models.SlugField(_("slug"), max_length=120, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="production_age_range",
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
            ),
            models.UniqueConstraint(
                fields=["house", "slug"],
                condition=~Q(slug=""),
                name="production_slug_unique_in_house",
            ),
        ]

    def __str__(self) -> str:
        return localize(self.title)

    def clean(self):
        if (
            self.age_min is not None
            and self.age_max is not None
            and self.age_min > self.age_max
        ):
            raise ValidationError(
                {"age_max": _("The maximum age must not be below the minimum age.")}
            )

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join(
                plain(text)
                for field in (self.title, self.subtitle, self.description)
                for text in (field or {}).values()
            )
        )
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def _free_slug(self) -> str:
        base = slugify(fold(localize(self.title, "nl")))[:100] or "productie"
        taken = set(
            # The base manager: a plain query, explicitly limited to this house.
            type(self)
            ._base_manager.filter(house_id=self.house_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    @property
    def default_duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes or 120)


class ProductionImage(BaseModel):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("image"), upload_to="productions/")
    alt_text = I18nField(
        _("alternative text"), help_text=_("What the image shows, for screen readers.")
    )
    credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]


class VideoLink(BaseModel):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="videos"
    )
    url = models.URLField(_("video link"))
    title = I18nField(_("title"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]


class PressQuote(BaseModel):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="press_quotes"
    )
    quote = I18nField(_("quote"), multiline=True)
    source = models.CharField(_("source"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]


class Performance(BaseModel):
    """A dated showing of a production in a hall."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_SALE = "on_sale", _("On sale")
        SOLD_OUT = "sold_out", _("Sold out")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")
        MOVED = "moved", _("Moved")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: in the agenda")
        UNLISTED = "unlisted", _("Unlisted: only with the link")
        HIDDEN = "hidden", _("Hidden: staff only")

    # A performance with one of these statuses does not occupy its hall.
    FREEING_STATUSES = (Status.CANCELLED, Status.POSTPONED, Status.MOVED)

    house = models.ForeignKey(
        House, on_delete=models.CASCADE, related_name="performances"
    )
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="performances"
    )
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        related_name="performances",
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    doors_open_at = models.DateTimeField(_("doors open"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    sales_start = models.DateTimeField(_("sales start"), null=True, blank=True)
    sales_end = models.DateTimeField(_("sales end"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["house", "starts_at"]),
            models.Index(fields=["hall", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="performance_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
            ),
            models.CheckConstraint(
                name="performance_doors_before_start",
                condition=Q(doors_open_at__isnull=True)
                | Q(doors_open_at__lte=models.F("starts_at")),
            ),
            models.CheckConstraint(
                name="performance_sales_window_order",
                condition=Q(sales_start__isnull=True)
                | Q(sales_end__isnull=True)
                | Q(sales_start__lt=models.F("sales_end")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.production} — {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        if (
            self.starts_at
            and self.doors_open_at
            and self.doors_open_at > self.starts_at
        ):
            errors["doors_open_at"] = _("The doors must open before the start.")
        if self.sales_start and self.sales_end and self.sales_start >= self.sales_end:
            errors["sales_end"] = _("Sales must end after they start.")
        if self.hall_id and self.house_id and self.hall.house_id != self.house_id:
            errors["hall"] = _("This hall belongs to another house.")
        if (
            self.production_id
            and self.house_id
            and self.production.house_id != self.house_id
        ):
            errors["production"] = _("This production belongs to another house.")
        if errors:
            raise ValidationError(errors)

    @property
    def occupies_hall(self) -> bool:
        return self.status not in self.FREEING_STATUSES
