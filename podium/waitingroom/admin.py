from django.contrib import admin

from .models import WaitingRoom


@admin.register(WaitingRoom)
class WaitingRoomAdmin(admin.ModelAdmin):
    list_display = ("__str__", "house", "scope", "opens_at", "paused", "is_enabled")
    list_filter = ("scope", "paused", "is_enabled")
