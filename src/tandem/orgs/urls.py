from django.urls import path

from tandem.orgs import views

app_name = "orgs"
urlpatterns = [
    path("regions/", views.regions, name="regions"),
    path("regions/<int:pk>/", views.region, name="region"),
    path("districts/", views.districts, name="districts"),
    path("districts/<int:pk>/", views.district, name="district"),
    path("schools/", views.schools, name="schools"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
]
