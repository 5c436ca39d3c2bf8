from django.urls import path

from launches import views

app_name = "launches"

urlpatterns = [
    path("", views.LaunchesIndexView.as_view(), name="index"),
]
