"""Who may do what with a community: the one place the portal asks.

- The Department (superusers) does everything.
- ИОЦ methodists read every community and register new ones.
- A community's current leader manages its members, plan, meetings and protocols, and signs.
- A current member reads the community and reports on their own assignments.
- Anyone else does not see the community at all: its pages answer 404.

Views call ``community_for(user, pk, manage=...)``: 404 to outsiders, 403 to readers who try to
manage. Lists start from ``visible_communities(user)``. The rest of the vocabulary:

- ``sees_district(user)``: the Department or a methodist (the district's lists, the dashboard, the
  teachers directory, registering communities, reviewing annual reports);
- ``leads(user, community)``: the community's leader today, in person (the Department is not: the leader's
  own acts such as the annual report);
- ``may_read_district_sheet(user)``: district-wide acknowledgement sheets (``sees_district`` or a leader);
- ``concerned_by_regulation(access)`` and ``shows_sheet(user, access)``: on a regulation's page (``access`` is
  None for a district-wide regulation), who is asked to acknowledge it and who sees its acknowledgement sheet;
- on ``CommunityAccess``: ``can_read``, ``can_manage``, ``can_add_material``, ``can_delete_material(m)``,
  ``can_see_history``, ``can_edit_details``, ``edits_all_details``, ``can_report(assignment)``,
  ``is_responsible_for(assignment)``, ``concerned_by_regulations``, ``can_read_sheet``.

Views and services never raise ``PermissionDenied`` themselves: they call ``require(allowed, message)`` (defined in
``pos_portal.roles`` beside the portal's own roles, re-exported here) with one of these predicates (or
``access.require_manage()``, ``require_district(user, message)``); a 404 that hides what the user may not see comes
from ``community_for`` or ``require_found(found, message)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from communities.models import Community, LeaderAppointment, Membership, Teacher
from pos_portal.roles import is_department, is_methodist, require


def require_found(found: bool, message: str) -> None:
    """404 with ``message`` unless ``found`` (for what the user may not even know exists)."""
    if not found:
        raise Http404(message)


def sees_district(user) -> bool:
    """The Department or an ИОЦ methodist: reads every community and the district's lists and figures."""
    return is_department(user) or is_methodist(user)


def require_district(user, message: str) -> None:
    require(sees_district(user), message)


def teacher_of(user) -> Teacher | None:
    """The user's teacher profile, looked up once per request (cached on the user object)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_pos_teacher"):
        user._pos_teacher = Teacher.objects.filter(user=user).first()
    return user._pos_teacher


def visible_communities(user) -> QuerySet[Community]:
    if sees_district(user):
        return Community.objects.all()
    teacher = teacher_of(user)
    if teacher is None:
        return Community.objects.none()
    today = timezone.localdate()
    member_of = Membership.objects.active_on(today).filter(teacher=teacher).values("community_id")
    leading = LeaderAppointment.objects.current_on(today).filter(teacher=teacher).values("community_id")
    return Community.objects.filter(Q(pk__in=member_of) | Q(pk__in=leading))


def visibility_scope(user) -> str:
    """Who sees the same communities as ``user``: «all» for the Department and the methodists, otherwise the
    teacher's own (a part of the key of a cached list: the same scope, the same list)."""
    if sees_district(user):
        return "all"
    teacher = teacher_of(user)
    return f"teacher:{teacher.pk}" if teacher else "none"


def led_communities(user) -> QuerySet[Community]:
    """Communities the user currently leads (all of them for the Department)."""
    if is_department(user):
        return Community.objects.all()
    return led_in_person(user)


def led_in_person(user) -> QuerySet[Community]:
    """Communities whose leader the user is today, by an appointment (whose protocols they sign); none for the
    Department as such."""
    teacher = teacher_of(user)
    if teacher is None:
        return Community.objects.none()
    leading = LeaderAppointment.objects.current().filter(teacher=teacher).values("community_id")
    return Community.objects.filter(pk__in=leading)


def leads(user, community: Community) -> bool:
    """The user is the community's leader today, in person (the Department is not)."""
    return community.is_led_by(teacher_of(user), timezone.localdate())


def may_read_district_sheet(user) -> bool:
    """District-wide acknowledgement sheets list teachers of the whole district: the Department, the
    methodists and the communities' leaders."""
    return sees_district(user) or led_communities(user).exists()


@dataclass(frozen=True)
class CommunityAccess:
    community: Community
    teacher: Teacher | None
    can_read: bool
    can_manage: bool
    is_member: bool
    is_leader: bool
    is_methodist: bool
    sees_district: bool

    def require_manage(self):
        require(self.can_manage, "Это действие доступно только руководителю ПОС.")

    @property
    def can_add_material(self) -> bool:
        """Members and the leader (and the Department)."""
        return self.can_manage or self.is_member

    def can_delete_material(self, material) -> bool:
        """Whoever added it, the leader and the Department."""
        own = self.teacher is not None and material.added_by_id == self.teacher.pk
        return self.can_manage or own

    @property
    def can_add_regulation(self) -> bool:
        """The community's own regulation: its leader, the methodists and the Department (section 6)."""
        return self.can_manage or self.is_methodist

    @property
    def can_see_history(self) -> bool:
        """The leader, the methodists and the Department."""
        return self.can_manage or self.is_methodist

    @property
    def can_edit_details(self) -> bool:
        """The community's details (name, description...): the leader (a part of them), methodists, the Department."""
        return self.can_manage or self.is_methodist

    @property
    def edits_all_details(self) -> bool:
        """Methodists and the Department edit every detail; the leader only the leader's part."""
        return self.sees_district

    def is_responsible_for(self, assignment) -> bool:
        """The user is the assignment's responsible teacher, in person."""
        return self.teacher is not None and self.teacher.pk == assignment.responsible_id

    def can_report(self, assignment) -> bool:
        """A report on an assignment: its responsible teacher (while they read the community), the leader, the
        Department."""
        if self.can_manage:
            return True
        return self.can_read and self.is_responsible_for(assignment)

    @property
    def concerned_by_regulations(self) -> bool:
        """The community's regulations concern (are acknowledged by) its members and its leader."""
        return self.is_member or self.is_leader

    @property
    def can_read_sheet(self) -> bool:
        """The acknowledgement sheet of a community's regulation, on its page: the leader, the methodists and the
        Department."""
        return self.sees_district or self.is_leader


def concerned_by_regulation(access: CommunityAccess | None) -> bool:
    """Whom a regulation concerns (who is asked to acknowledge it): every teacher for a district-wide one
    (``access`` is None), the community's members and leader for a community's."""
    return access is None or access.concerned_by_regulations


def shows_sheet(user, access: CommunityAccess | None) -> bool:
    """The acknowledgement sheet on a regulation's page: a community's (``access``) for ``can_read_sheet``, a
    district-wide one (``access`` is None) for the Department and the methodists."""
    return access.can_read_sheet if access is not None else sees_district(user)


def _with_user_roles(communities: QuerySet[Community], teacher: Teacher) -> QuerySet[Community]:
    """``user_is_leader`` and ``user_is_member``: the teacher's roles today, read with the communities."""
    today = timezone.localdate()
    appointments = LeaderAppointment.objects.current_on(today).filter(teacher=teacher, community=OuterRef("pk"))
    memberships = Membership.objects.active_on(today).filter(teacher=teacher, community=OuterRef("pk"))
    return communities.annotate(user_is_leader=Exists(appointments), user_is_member=Exists(memberships))


def _access(user, community: Community, teacher: Teacher | None, *, is_leader: bool, is_member: bool):
    district = sees_district(user)
    return CommunityAccess(
        community=community,
        teacher=teacher,
        can_read=district or is_leader or is_member,
        can_manage=is_department(user) or is_leader,
        is_member=is_member,
        is_leader=is_leader,
        is_methodist=is_methodist(user),
        sees_district=district,
    )


def access_for(user, community: Community) -> CommunityAccess:
    teacher = teacher_of(user)
    is_leader = is_member = False
    if teacher is not None:
        roles = _with_user_roles(Community.objects.filter(pk=community.pk), teacher)
        is_leader, is_member = roles.values_list("user_is_leader", "user_is_member").first() or (False, False)
    return _access(user, community, teacher, is_leader=is_leader, is_member=is_member)


def community_for(user, pk, *, manage: bool = False) -> tuple[Community, CommunityAccess]:
    """The community with its access for ``user``: 404 when they may not see it, 403 when
    ``manage`` is asked of someone who may only read. One query: the user's roles in the community
    come with it."""
    teacher = teacher_of(user)
    communities = Community.objects.select_related("organization")
    if teacher is not None:
        communities = _with_user_roles(communities, teacher)
    community = communities.filter(pk=pk).first()
    require_found(community is not None, "Сообщество не найдено.")
    access = _access(
        user,
        community,
        teacher,
        is_leader=getattr(community, "user_is_leader", False),
        is_member=getattr(community, "user_is_member", False),
    )
    require_found(access.can_read, "Сообщество не найдено.")
    if manage:
        access.require_manage()
    return community, access
