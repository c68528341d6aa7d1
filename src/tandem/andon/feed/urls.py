from django.urls import path

from tandem.andon.feed import views

app_name = "feed"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.post_new, name="post_new"),
    path("board/", views.board_page, name="board"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/", views.post_detail, name="post"),
    path("<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/me-too/", views.me_too, name="me_too"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/status/", views.move, name="move"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
]
