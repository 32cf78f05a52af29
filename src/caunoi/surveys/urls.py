"""Addresses of surveys: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver, path, re_path

from caunoi.surveys import exports, public, results_views, views

app_name = "surveys"
UNIT = r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/khao-sat/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/units/<int:pk>/surveys/", views.survey_list, name="list"),
    path("staff/units/<int:pk>/surveys/new/", views.survey_new, name="new"),
    path("staff/surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("staff/surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("staff/surveys/<int:pk>/paper/", views.paper_entry, name="paper"),
    path("staff/surveys/<int:pk>/results/", results_views.results, name="results"),
    path("staff/surveys/<int:pk>/results.<str:fmt>", exports.results_export, name="results_export"),
    path(
        "staff/surveys/<int:pk>/results/units/", results_views.results_by_unit, name="results_units"
    ),
    path(
        "staff/surveys/<int:pk>/results-units.<str:fmt>",
        exports.results_units_export,
        name="results_units_export",
    ),
    path("staff/surveys/<int:pk>/answers.<str:fmt>", exports.answers_export, name="answers_export"),
    re_path(UNIT + r"$", public.survey_list, name="portal_list"),
    re_path(UNIT + r"(?P<pk>[0-9]+)/$", public.survey_answer, name="portal_answer"),
    re_path(UNIT + r"(?P<pk>[0-9]+)/cam-on/$", public.survey_thanks, name="portal_thanks"),
]
