from django.contrib import admin

from alignment.admin import WorkspaceScopedAdmin
from research.models import Competitor, Persona


@admin.register(Persona)
class PersonaAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "updated_at"]
    search_fields = ["name", "summary", "goals", "pains"]


@admin.register(Competitor)
class CompetitorAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "website", "updated_at"]
    search_fields = ["name", "positioning"]
