from django.urls import path

from tandem.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="practices"),
    path("<int:pk>/", views.practice_detail, name="practice"),
]
