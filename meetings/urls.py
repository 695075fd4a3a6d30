from django.urls import path

from meetings.views import assignments, meetings, protocols

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
    path("assignments/", assignments.my_assignments, name="my_assignments"),
    path("communities/<int:pk>/assignments/", assignments.community_assignments, name="community_assignments"),
    path("assignments/<int:assignment_pk>/report/", assignments.assignment_report, name="assignment_report"),
]
