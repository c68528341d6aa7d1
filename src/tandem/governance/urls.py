from django.urls import path

from tandem.governance.views import decisions, elections, groups, overview, teams

app_name = "governance"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new/", groups.group_new, name="group_new"),
    path("groups/<int:pk>/", groups.group_detail, name="group"),
    path("groups/<int:pk>/membership/", groups.group_membership, name="group_membership"),
    path("groups/<int:pk>/support/", groups.group_support, name="group_support"),
    path("groups/<int:pk>/review/", groups.group_review, name="group_review"),
    path("groups/<int:pk>/decisions/", groups.group_decision, name="group_decision"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_new, name="team_new"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("teams/<int:pk>/seats/", teams.seat_new, name="seat_new"),
    path("teams/<int:pk>/appoint/", teams.appoint, name="appoint"),
    path("teams/<int:pk>/elections/", teams.election_new, name="election_new"),
    path("teams/<int:pk>/decisions/", teams.team_decision, name="team_decision"),
    path("elections/<int:pk>/", elections.election_detail, name="election"),
    path("elections/<int:pk>/nominate/", elections.nominate, name="nominate"),
    path(
        "elections/<int:pk>/nominations/<int:nomination_id>/answer/",
        elections.nomination_answer,
        name="nomination_answer",
    ),
    path("elections/<int:pk>/vote/", elections.vote, name="vote"),
    path("elections/<int:pk>/receipt/", elections.receipt_check, name="receipt"),
    path("elections/<int:pk>/count/", elections.count, name="count"),
    path("elections/<int:pk>/cancel/", elections.cancel, name="cancel"),
    path("decisions/", decisions.decision_list, name="decisions"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/follow-ups/<int:follow_up_id>/done/", decisions.follow_up_done, name="follow_up_done"),
]
