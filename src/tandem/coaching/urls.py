from django.urls import path

from tandem.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.relationship_new, name="relationship_new"),
    path("<int:pk>/", views.relationship_detail, name="relationship"),
    path("<int:pk>/sessions/", views.session_new, name="session_new"),
    path("<int:pk>/notes/", views.note_new, name="note_new"),
    path("<int:pk>/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path("<int:pk>/goals/", views.goal_new, name="goal_new"),
    path("<int:pk>/goals/<int:goal_id>/status/", views.goal_status, name="goal_status"),
    path("<int:pk>/ratings/", views.rate, name="rate"),
    path("<int:pk>/cycles/", views.cycle_new, name="cycle_new"),
    path("<int:pk>/cycles/<int:cycle_id>/advance/", views.cycle_advance, name="cycle_advance"),
    path("<int:pk>/end/", views.relationship_end, name="relationship_end"),
    path("sessions/", views.sessions, name="sessions"),
    path("notes/", views.notes, name="notes"),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    path("costs/", views.costs, name="costs"),
    path("dives/", views.dives_page, name="dives"),
]
