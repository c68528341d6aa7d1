from django.urls import path

from tandem.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.network, name="network"),
    path("districts/<int:pk>/", views.district, name="district"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("schools/<int:pk>/compare/", views.comparison, name="comparison"),
    path("schools/<int:pk>/report.pdf", views.school_report, name="school_report"),
    path("gaps/", views.gaps, name="gaps"),
    path("goals/", views.goal_list, name="goals"),
    path("goals/new/", views.goal_form, name="goal_new"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_form, name="goal_edit"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
]
