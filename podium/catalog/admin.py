from django.contrib import admin

from .models import Performance, Production, TaxonomyTerm


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["id", "domain", "__str__"]
    list_filter = ["domain"]


@admin.register(Production)
class ProductionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "house", "event_type"]
    list_filter = ["house"]


@admin.register(Performance)
class PerformanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "house", "hall", "status", "visibility"]
    list_filter = ["house", "status"]
    date_hierarchy = "starts_at"
