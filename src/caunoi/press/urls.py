"""Addresses of press: staff screens under /staff/, public pages under /u/<unit>/."""

from django.urls import URLPattern, URLResolver, path, re_path

from caunoi.press import contacts, public, releases, views

app_name = "press"
UNIT = r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/units/<int:pk>/press/", views.briefing_calendar, name="calendar"),
    path("staff/units/<int:pk>/press/briefings/new/", views.series_new, name="series_new"),
    path("staff/units/<int:pk>/press/briefings/urgent/", views.urgent_new, name="urgent_new"),
    path("staff/units/<int:pk>/press/outlets/", contacts.outlet_list, name="outlets"),
    path("staff/units/<int:pk>/press/releases/", releases.release_list, name="releases"),
    path("staff/units/<int:pk>/press/coverage/", releases.coverage_list, name="coverage"),
    path("staff/press/briefings/<int:pk>/", views.briefing_detail, name="briefing"),
    path(
        "staff/press/briefings/<int:pk>/items/<int:item>/",
        views.item_download,
        name="item_download",
    ),
    path("staff/press/briefings/<int:pk>/<slug:step>/", views.briefing_step, name="briefing_step"),
    path("staff/press/outlets/<int:pk>/", contacts.outlet_detail, name="outlet"),
    path(
        "staff/press/outlets/<int:pk>/journalists/",
        contacts.journalist_add,
        name="journalist_add",
    ),
    path(
        "staff/press/journalists/<int:pk>/remove/",
        contacts.journalist_remove,
        name="journalist_remove",
    ),
    path("staff/press/releases/<int:pk>/", releases.release_detail, name="release"),
    re_path(UNIT + r"bao-chi/$", public.press_page, name="public"),
    re_path(UNIT + r"giao-ban\.ics$", public.briefing_feed, name="feed"),
]
