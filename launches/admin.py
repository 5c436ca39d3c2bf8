from django.contrib import admin

from alignment.admin import WorkspaceScopedAdmin
from launches.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(WorkspaceScopedAdmin):
    list_display = ["name", "workspace", "channel", "start_date", "end_date", "budget"]
    list_filter = ["channel", "start_date"]
    search_fields = ["name"]
    filter_horizontal = ["features"]
