from django.urls import path

from tandem.achievement import views

app_name = "achievement"
urlpatterns = [
    path("", views.import_list, name="imports"),
    path("new/", views.import_new, name="import_new"),
    path("<int:pk>/", views.import_detail, name="import"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/report.csv", views.import_report_csv, name="import_report"),
]
