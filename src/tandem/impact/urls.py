from django.urls import path

from tandem.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.report_list, name="reports"),
    path("new/", views.report_new, name="report_new"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
