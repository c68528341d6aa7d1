from django.urls import path

from tandem.growth import views

app_name = "growth"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("new/", views.run_new, name="run_new"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/progress/", views.run_progress, name="run_progress"),
]
