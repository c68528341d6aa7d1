from django.urls import path

from tandem.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("reach/", views.reach, name="reach"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("<int:pk>/assignments/new/", views.assignment_create, name="assign"),
    path("<int:pk>/assignments/<int:assignment_id>/end/", views.assignment_end, name="assignment_end"),
    path("<int:pk>/costs/new/", views.cost_record, name="cost"),
]
