from django.urls import path

from communities.views import communities, history, materials, members, plans, regulations, teachers

app_name = "communities"

urlpatterns = [
    path("communities/", communities.community_list, name="list"),
    path("communities/new/", communities.community_create, name="create"),
    path("communities/<int:pk>/", communities.community_detail, name="detail"),
    path("communities/<int:pk>/edit/", communities.community_edit, name="edit"),
    path("communities/<int:pk>/history/", history.community_history, name="history"),
    # members (leader)
    path("communities/<int:pk>/members/add/", members.member_add, name="member_add"),
    path("communities/<int:pk>/members/<int:membership_pk>/edit/", members.member_edit, name="member_edit"),
    path("communities/<int:pk>/members/<int:membership_pk>/end/", members.member_end, name="member_end"),
    # annual plans
    path("communities/<int:pk>/plans/new/", plans.plan_create, name="plan_create"),
    path("communities/<int:pk>/plans/copy/", plans.plan_copy, name="plan_copy"),
    path("plans/<int:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:plan_pk>/review/", plans.plan_review, name="plan_review"),
    # regulations and the acknowledgement sheet
    path("regulations/", regulations.regulation_list, name="regulations"),
    path("regulations/<int:regulation_pk>/", regulations.regulation_detail, name="regulation_detail"),
    path("communities/<int:pk>/regulations/new/", regulations.regulation_create, name="regulation_create"),
    path(
        "regulations/<int:regulation_pk>/acknowledge/",
        regulations.regulation_acknowledge,
        name="regulation_acknowledge",
    ),
    path("regulations/<int:regulation_pk>/file/", regulations.regulation_file, name="regulation_file"),
    # materials
    path("communities/<int:pk>/materials/add/", materials.material_add, name="material_add"),
    path("materials/<int:material_pk>/download/", materials.material_download, name="material_download"),
    path("materials/<int:material_pk>/delete/", materials.material_delete, name="material_delete"),
    # teachers directory (methodists)
    path("teachers/", teachers.teacher_list, name="teachers"),
]
