"""«Ознакомлен(а) с протоколом» in the admin: the Department sees who acknowledged which protocol and when.
A receipt is the member's own act in the portal, so the admin only shows it: no adding, changing or deleting."""

from django.contrib import admin

from communities.admin.base import AcademicYearListFilter, PortalModelAdmin, ReadOnlyAdminMixin
from meetings.models import ProtocolReceipt


class ReceiptYearFilter(AcademicYearListFilter):
    field_name = "protocol__academic_year"


@admin.register(ProtocolReceipt)
class ProtocolReceiptAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ["protocol", "teacher", "acknowledged_at"]
    list_select_related = ["protocol__community", "protocol__meeting", "teacher"]
    list_filter = [ReceiptYearFilter]
    search_fields = ["protocol__community__name", "teacher__surname"]
    date_hierarchy = "acknowledged_at"
    ordering = ["-acknowledged_at"]
    fields = ["protocol", "teacher", "acknowledged_at"]
