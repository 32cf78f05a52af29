"""Addresses of training: staff screens under /staff/."""

from django.urls import URLPattern, URLResolver, path

from caunoi.training import views

app_name = "training"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/units/<int:pk>/training/", views.course_list, name="courses"),
    path("staff/training/courses/<int:pk>/", views.course_detail, name="course"),
    path("staff/training/courses/<int:pk>/targets/", views.course_targets, name="course_targets"),
    path("staff/training/sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "staff/training/sessions/<int:pk>/participants/",
        views.session_participants,
        name="session_participants",
    ),
    path(
        "staff/training/sessions/<int:pk>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path(
        "staff/training/participants/<int:pk>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
]
