from django.urls import path

from tandem.network import views

app_name = "network"
urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/new/", views.cohort_form, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_form, name="cohort_edit"),
    path("cohorts/<int:pk>/members/", views.member_add, name="member_add"),
    path("cohorts/<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("cohorts/<int:pk>/convenings/", views.convening_add, name="convening_add"),
]
