"""The portal's URLs plus two bench-only pages: the bare Django ceiling and the WeasyPrint floor."""

from django.urls import path

from bench import views
from pos_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="bench_ceiling"),
    path("bench/pdf-floor.pdf", views.pdf_floor, name="bench_pdf_floor"),
    *portal_urlpatterns,
]
