from django.urls import path, re_path

from caunoi.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("lang/<str:code>/", views.language, name="language"),
    re_path(r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/tin-tuc/$", views.unit_news, name="news"),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/tim-kiem/$", views.unit_search, name="search"
    ),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/canh-bao/$",
        views.unit_warnings,
        name="warnings",
    ),
    re_path(r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/chu-de/$", views.unit_topics, name="topics"),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/chu-de/(?P<topic>[a-z0-9-]+)/$",
        views.unit_topic,
        name="topic",
    ),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/chu-de/(?P<topic>[a-z0-9-]+)"
        r"\.(?P<fmt>rss|atom)$",
        feeds.topic_feed,
        name="topic_feed",
    ),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/bai/(?P<pk>[0-9]+)-(?P<slug>[a-z0-9-]*)/$",
        views.article,
        name="article",
    ),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/tin-tuc\.(?P<fmt>rss|atom)$",
        feeds.feed,
        name="feed",
    ),
    re_path(
        r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/(?P<kind>[a-z_]+)\.(?P<fmt>rss|atom)$",
        feeds.feed,
        name="kind_feed",
    ),
    # Last: a unit's own page, once the addresses below a unit are ruled out.
    re_path(r"^u/(?P<slugs>[a-z0-9-]+(?:/[a-z0-9-]+)*)/$", views.unit_home, name="unit"),
]
