"""Addresses of feedback: staff screens under /staff/, public pages under /u/<unit>/ and the
tracking pages under /phan-anh/."""

from django.urls import URLPattern, URLResolver, path, re_path

from caunoi.feedback import configure, public, staff, staff_photos, transparency

UNIT = r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/"
REPORT = r"^phan-anh/(?P<public_id>[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})/"

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    re_path(UNIT + r"phan-anh/$", public.unit_reports, name="unit_reports"),
    re_path(UNIT + r"phan-anh/gui/$", public.report_new, name="report_new"),
    re_path(UNIT + r"phan-anh/minh-bach/$", transparency.transparency, name="transparency"),
    path("phan-anh/", public.lookup, name="lookup"),
    path("phan-anh/theo-doi/<str:token>/", public.follow_confirm, name="follow_confirm"),
    path("phan-anh/bo-theo-doi/<str:token>/", public.follow_stop, name="follow_stop"),
    path("phan-anh/anh/<int:pk>/", public.photo, name="photo"),
    re_path(REPORT + r"$", public.tracking, name="tracking"),
    re_path(REPORT + r"theo-doi/$", public.follow, name="follow"),
    re_path(REPORT + r"mo-lai/$", public.reopen, name="reopen"),
    re_path(REPORT + r"danh-gia/$", public.rate, name="rate"),
    path("staff/units/<int:pk>/reports/", staff.report_list, name="staff_reports"),
    path("staff/units/<int:pk>/reports/new/", staff.report_take, name="staff_take"),
    path("staff/units/<int:pk>/report-settings/", configure.settings_page, name="settings"),
    path("staff/units/<int:pk>/report-settings/sweep/", configure.sweep_now, name="sweep"),
    path("staff/report-categories/<int:pk>/", configure.category_page, name="category"),
    path("staff/reports/<int:pk>/", staff.report_detail, name="staff_report"),
    path("staff/reports/<int:pk>/contact/", staff.report_contact, name="staff_contact"),
    path("staff/reports/<int:pk>/result-photos/", staff_photos.result_add, name="staff_result_add"),
    path("staff/reports/<int:pk>/media-url/", staff_photos.media_url_share, name="staff_media_url"),
    path("staff/report-photos/<int:pk>/original/", staff_photos.original, name="staff_original"),
    path("staff/report-photos/<int:pk>/blur/", staff_photos.blur, name="staff_blur"),
    path(
        "staff/report-photos/<int:pk>/remove/", staff_photos.result_remove, name="staff_result_rm"
    ),
    path("staff/reports/<int:pk>/<str:step>/", staff.report_step, name="staff_step"),
]
