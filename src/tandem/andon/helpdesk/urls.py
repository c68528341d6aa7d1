from django.urls import path

from tandem.andon.helpdesk import views

app_name = "helpdesk"
urlpatterns = [
    path("", views.tickets, name="tickets"),
    path("new/", views.ticket_new, name="ticket_new"),
    path("<int:pk>/", views.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", views.ticket_reply, name="ticket_reply"),
    path("<int:pk>/note/", views.ticket_note, name="ticket_note"),
    path("<int:pk>/message/", views.ticket_message, name="ticket_message"),
    path("<int:pk>/update/", views.ticket_update, name="ticket_update"),
    path("<int:pk>/merge/", views.ticket_merge, name="ticket_merge"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("received/", views.received, name="received"),
    path("received/<int:pk>/raw/", views.received_raw, name="received_raw"),
    path("metrics/", views.metrics_page, name="metrics"),
]
