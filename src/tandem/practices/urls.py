from django.urls import path

from tandem.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="practices"),
    path("new/", views.practice_form, name="practice_new"),
    path("<int:pk>/", views.practice_detail, name="practice"),
    path("<int:pk>/edit/", views.practice_form, name="practice_edit"),
    path("<int:pk>/publish/", views.practice_publish, name="practice_publish"),
    path("<int:pk>/delete/", views.practice_delete, name="practice_delete"),
    path("<int:pk>/tried/", views.trial_form, name="trial_new"),
    path("<int:pk>/tried/<int:trial_id>/remove/", views.trial_remove, name="trial_remove"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/comments/<int:comment_id>/remove/", views.comment_delete, name="comment_remove"),
    path("<int:pk>/research/", views.citation_add, name="citation_add"),
    path("<int:pk>/research/<int:citation_id>/remove/", views.citation_remove, name="citation_remove"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_file, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/cycles/", views.cycle_link, name="cycle_link"),
]
