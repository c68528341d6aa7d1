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
    path("people/new/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/roles/new/", views.role_grant, name="role_grant"),
    path("people/<int:pk>/roles/<int:role_id>/end/", views.role_end, name="role_end"),
    path("profile/", views.profile_edit, name="profile"),
]
