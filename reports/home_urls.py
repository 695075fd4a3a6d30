"""The home page, named plainly ``home`` (no namespace): every page links to it."""

from django.urls import path

from reports.views.home import home

urlpatterns = [path("", home, name="home")]
