from django.contrib.auth import views as auth_views
from django.urls import path

from caunoi.staff import article_extras, articles, notifications, views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch/", views.unit_switch, name="unit_switch"),
    path("language/", views.language_switch, name="language"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/add/", views.unit_add, name="unit_add"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/people/", views.people, name="people"),
    path("units/<int:pk>/people/new/", views.person_new, name="person_new"),
    path("units/<int:pk>/people/<int:person>/", views.person_detail, name="person"),
    path("units/<int:pk>/people/<int:person>/roles/", views.role_add, name="role_add"),
    path("units/<int:pk>/people/<int:person>/active/", views.person_active, name="person_active"),
    path(
        "units/<int:pk>/people/<int:person>/password/",
        views.person_password,
        name="person_password",
    ),
    path("units/<int:pk>/roles/<int:role>/revoke/", views.role_revoke, name="role_revoke"),
    path("units/<int:pk>/audit/", views.audit_log, name="audit"),
    path("units/<int:pk>/articles/", articles.article_list, name="articles"),
    path("units/<int:pk>/articles/new/", articles.article_new, name="article_new"),
    path("articles/<int:pk>/", articles.article_detail, name="article"),
    path("articles/<int:pk>/edit/", articles.article_edit, name="article_edit"),
    path("articles/<int:pk>/compare/", articles.revision_compare, name="article_compare"),
    path(
        "articles/<int:pk>/revisions/<int:number>/restore/",
        articles.revision_restore,
        name="article_restore",
    ),
    path("units/<int:pk>/topics/", article_extras.topics, name="article_topics"),
    path("articles/<int:pk>/images/", article_extras.image_add, name="article_image_add"),
    path(
        "articles/<int:pk>/images/<int:image>/remove/",
        article_extras.image_remove,
        name="article_image_remove",
    ),
    path(
        "articles/<int:pk>/files/<int:attachment>/remove/",
        article_extras.attachment_remove,
        name="article_attachment_remove",
    ),
    path("articles/<int:pk>/correct/", article_extras.article_correct, name="article_correct"),
    path("articles/<int:pk>/reshare/", article_extras.article_reshare, name="article_reshare"),
    path(
        "articles/<int:pk>/reshares/<int:reshare>/withdraw/",
        article_extras.reshare_withdraw,
        name="article_reshare_withdraw",
    ),
    path("articles/<int:pk>/<slug:step>/", articles.article_step, name="article_step"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path("people/", views.people_here, name="people_here"),
    path("audit/", views.audit_here, name="audit_here"),
]
