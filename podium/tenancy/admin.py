"""Django admin is for platform operators only; houses work in the office."""

from django import forms
from django.contrib import admin

from podium.core.images import ImageRejected, image_clean

from .models import Cluster, Hall, House, StaffRole, Venue
from .services import (
    staff_role_log,
    staff_role_logged_change,
    staff_role_revoke,
)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain"]
    prepopulated_fields = {"slug": ["name"]}


class HouseAdminForm(forms.ModelForm):
    class Meta:
        model = House
        fields = "__all__"  # noqa: DJ007 - the platform operator edits every field

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.initial.get("logo"):
            return logo  # unchanged or cleared
        try:
            return image_clean(logo, field="logo")
        except ImageRejected as error:
            raise forms.ValidationError(str(error), code=error.code) from None


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    form = HouseAdminForm
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

    # Role changes made here are audit-logged in every house they touch.
    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            old = StaffRole.objects.get(pk=obj.pk)
            before = {
                "user": old.user_id,
                "role": old.role,
                "house": old.house_id,
                "cluster": old.cluster_id,
            }
        super().save_model(request, obj, form, change)
        if change:
            staff_role_logged_change(staff_role=obj, actor=request.user, before=before)
        else:
            staff_role_log("podium.tenancy.staff_role.granted", obj, request.user)

    def delete_model(self, request, obj):
        staff_role_revoke(staff_role=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for staff_role in queryset:
            staff_role_revoke(staff_role=staff_role, actor=request.user)
