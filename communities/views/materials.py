"""Methodical materials of a community: adding, downloading through the access check, deleting."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for, require
from communities.downloads import stored_file_response
from communities.forms import MaterialForm
from communities.models import Material
from communities.submissions import submitted_once

SAFE_SCHEMES = ("http", "https")


@require_http_methods(["GET", "POST"])
@submitted_once
def material_add(request, pk):
    community, access = community_for(request.user, pk)
    require(access.can_add_material, "Добавлять материалы могут члены ПОС и его руководитель.")
    material = Material(community=community, added_by=access.teacher)
    posted = request.method == "POST"
    # «Добавить документ» of the section 6 checklist opens the form with the kind chosen (?kind=document).
    kind = request.GET.get("kind")
    form = MaterialForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=material,
        community=community,
        initial={"kind": kind} if kind in Material.Kind.values else None,
    )
    if request.method == "POST" and form.is_valid():
        material = form.save()
        messages.success(request, f"Материал «{material.title}» добавлен.")
        return redirect("communities:detail", pk=community.pk)
    return render(request, "communities/material_form.html", {"community": community, "access": access, "form": form})


def _material_for(user, material_pk):
    material = get_object_or_404(Material, pk=material_pk)
    _community, access = community_for(user, material.community_id)
    return material, access


@require_http_methods(["GET"])
def material_download(request, material_pk):
    material, _access = _material_for(request.user, material_pk)
    if not material.file:
        url = material.url.strip()
        if url and urlsplit(url).scheme.lower() in SAFE_SCHEMES:
            return redirect(url)
        raise Http404("У материала нет файла или ссылки, которую можно открыть.")
    return stored_file_response(material.file, material.original_name, f"material-{material.pk}")


@require_POST
def material_delete(request, material_pk):
    material, access = _material_for(request.user, material_pk)
    require(access.can_delete_material(material), "Удалить материал может добавивший его или руководитель ПОС.")
    title, community_id = material.title, material.community_id
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    material.delete()
    if stored:
        storage.delete(stored)
    messages.success(request, f"Материал «{title}» удалён.")
    return redirect("communities:detail", pk=community_id)
