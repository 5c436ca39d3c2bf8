from django.contrib import admin

from alignment.admin import WorkspaceScopedAdmin
from research.models import Persona


@admin.register(Persona)
class PersonaAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "updated_at"]
    search_fields = ["name", "summary", "goals", "pains"]
