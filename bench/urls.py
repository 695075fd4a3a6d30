"""The portal's URLs plus the bench-only pages: the bare Django ceiling, an empty page of the
portal for a signed-in user and the WeasyPrint floor."""

from django.urls import path

from bench import views
from pos_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="bench_ceiling"),
    path("bench/signed-in/", views.signed_in, name="bench_signed_in"),
    path("bench/pdf-floor.pdf", views.pdf_floor, name="bench_pdf_floor"),
    *portal_urlpatterns,
]
