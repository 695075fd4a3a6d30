from django.conf import settings
from django.contrib import admin
from django.urls import path

admin.site.site_header = "ПОС-портал: администрирование"
admin.site.site_title = "ПОС-портал"
admin.site.index_title = "Департамент образования АТМР"

urlpatterns = [
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views.generic import RedirectView

    urlpatterns.append(path("", RedirectView.as_view(url="/admin/", permanent=False)))
