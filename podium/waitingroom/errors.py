"""The errors of the waiting room services."""

from enum import StrEnum

from podium.core.errors import DomainError


class WaitingRoomErrorCode(StrEnum):
    INVALID = "invalid"
    CLOSED = "waiting_room_closed"
    NOT_FOUND = "waiting_room_entry_not_found"


class WaitingRoomError(DomainError):
    code = WaitingRoomErrorCode.INVALID


class WaitingRoomClosed(WaitingRoomError):
    code = WaitingRoomErrorCode.CLOSED
    conflict = True
