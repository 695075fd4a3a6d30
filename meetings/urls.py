from django.urls import path

from meetings.views import assignments, calendar, meetings, plans, protocols, receipts

app_name = "meetings"

urlpatterns = [
    path("communities/<int:pk>/meetings/new/", meetings.meeting_create, name="create"),
    path("meetings/<int:meeting_pk>/", meetings.meeting_detail, name="detail"),
    path("meetings/<int:meeting_pk>/edit/", meetings.meeting_edit, name="edit"),
    path("meetings/<int:meeting_pk>/attendance/", meetings.meeting_attendance, name="attendance"),
    path("meetings/<int:meeting_pk>/agenda/add/", protocols.agenda_item_add, name="agenda_add"),
    path("agenda/<int:item_pk>/edit/", protocols.agenda_item_edit, name="agenda_edit"),
    path("agenda/<int:item_pk>/delete/", protocols.agenda_item_delete, name="agenda_delete"),
    path("agenda/<int:item_pk>/move/", protocols.agenda_item_move, name="agenda_move"),
    path("meetings/<int:meeting_pk>/sign/", protocols.protocol_sign, name="sign"),
    path("meetings/<int:meeting_pk>/correction/", protocols.protocol_correction, name="correction"),
    path("meetings/<int:meeting_pk>/receipt/", receipts.protocol_receipt, name="receipt"),
    path("meetings/<int:meeting_pk>/calendar.ics", calendar.meeting_ics, name="meeting_ics"),
    path("calendar.ics", calendar.my_feed, name="my_feed"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/renew/", calendar.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", calendar.personal_feed, name="personal_feed"),
    path("calendar/<str:token>/communities/<int:pk>.ics", calendar.community_feed, name="community_feed"),
    path("assignments/", assignments.my_assignments, name="my_assignments"),
    path("communities/<int:pk>/assignments/", assignments.community_assignments, name="community_assignments"),
    path("assignments/<int:assignment_pk>/report/", assignments.assignment_report, name="assignment_report"),
    path("assignments/<int:assignment_pk>/withdraw/", assignments.assignment_withdraw, name="assignment_withdraw"),
    path("assignments/<int:assignment_pk>/accept/", assignments.assignment_accept, name="assignment_accept"),
    path("assignments/<int:assignment_pk>/return/", assignments.assignment_return, name="assignment_return"),
    path("assignments/<int:assignment_pk>/deadline/", assignments.assignment_deadline, name="assignment_deadline"),
    path("assignments/<int:assignment_pk>/file/", assignments.assignment_file, name="assignment_file"),
    path("plans/<int:plan_pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("meetings/<int:meeting_pk>/follow-up/add/", assignments.follow_up_add, name="follow_up_add"),
    path("agenda/<int:item_pk>/follow-up/", assignments.follow_up, name="follow_up"),
]
