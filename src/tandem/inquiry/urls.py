from django.urls import path

from tandem.inquiry import views

app_name = "inquiry"
urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("new/", views.cycle_new, name="cycle_new"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("<int:pk>/add/<slug:kind>/", views.cycle_artifact, name="cycle_artifact"),
    path("<int:pk>/actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("<int:pk>/step/", views.cycle_step, name="cycle_step"),
    path("<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("<int:pk>/next/", views.cycle_next, name="cycle_next"),
    path("<int:pk>/evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence_file"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_form, name="template_new"),
    path("templates/<int:pk>/edit/", views.template_form, name="template_edit"),
]
