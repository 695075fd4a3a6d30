"""The sign-in backend of the portal: Django's ModelBackend that loads, with the user of every request, what
every page asks next (the teacher profile for the navbar and the access rules, and whether the user is a
methodist of the ИОЦ), in the one query that loads the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from pos_portal.roles import METHODISTS_GROUP


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        methodist = Group.objects.filter(name=METHODISTS_GROUP, user=OuterRef("pk"))
        try:
            user = (
                user_model._default_manager.select_related("teacher")
                .annotate(pos_is_methodist=Exists(methodist))
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        # The attributes pos_portal.roles.is_methodist and communities.access.teacher_of cache their answers in.
        user._is_methodist = user.pos_is_methodist
        user._pos_teacher = getattr(user, "teacher", None)
        return user
