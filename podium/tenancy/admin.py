"""Django admin is for platform operators only; houses work in the office."""

from django.contrib import admin

from .models import Cluster, Hall, House, StaffRole, Venue


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cluster", "city", "is_active"]
    list_filter = ["kind", "cluster", "is_active"]
    search_fields = ["name", "legal_name", "enterprise_number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "house", "city"]
    list_filter = ["house"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "house", "kind", "capacity"]
    list_filter = ["house", "kind"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "house", "cluster"]
    list_filter = ["role", "house", "cluster"]
    search_fields = ["user__username", "user__email"]
