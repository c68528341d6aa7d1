from django.urls import path

from tandem.access import views

app_name = "access"
urlpatterns = [
    path("", views.audit_log, name="audit"),
]
