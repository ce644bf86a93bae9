from enum import StrEnum

from podium.core.errors import DomainError


class CatalogErrorCode(StrEnum):
    HALL_CLASH = "hall_clash"
    INVALID = "invalid"
    SERIES_EMPTY = "series_empty"
    SERIES_TOO_LONG = "series_too_long"


class CatalogError(DomainError):
    pass


class HallClash(CatalogError):
    """The hall is taken: `clashes` lists the performances in the way."""

    code = CatalogErrorCode.HALL_CLASH
    conflict = True

    def __init__(self, message, *, clashes, **kwargs):
        super().__init__(message, **kwargs)
        self.clashes = clashes
