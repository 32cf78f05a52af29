"""Surveys, their form versions and anonymous answers.

An answer holds the form's values, the version it was given on, the day (never the time) and
the unit it speaks for. Nothing links it to a person, a device, an address or a browser."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit, User

K_DEFAULT = 5
K_MINIMUM = 3


class Survey(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("tên khảo sát"), max_length=300)
    description = models.TextField(_("giới thiệu"), blank=True)
    opens_on = models.DateField(_("mở từ ngày"))
    closes_on = models.DateField(_("đóng sau ngày"))
    k = models.PositiveSmallIntegerField(
        _("nhóm nhỏ nhất được công bố (k)"),
        default=K_DEFAULT,
        help_text=_("Nhóm ít hơn k câu trả lời không bao giờ được công bố. Tối thiểu 3."),
    )
    one_page = models.BooleanField(_("cả phiếu trên một trang"), default=True)
    free_text_export = models.BooleanField(_("cho phép xuất câu trả lời tự do"), default=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("khảo sát")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(k__gte=K_MINIMUM), name="survey_k_at_least_3"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on


class SurveyVersion(models.Model):
    """One upload of the form, converted by pyxform to its JSON form (xls2json)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    form: models.JSONField[dict[str, Any]] = models.JSONField()
    filename = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class AnswerSource(models.TextChoices):
    PORTAL = "portal", _("Cổng thông tin")
    PAPER = "paper", _("Phiếu giấy")


class Answer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="answers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    source = models.CharField(max_length=10, choices=AnswerSource.choices)
    # name -> value as XForms writes it: text, number, "a b c" for several choices.
    values: models.JSONField[dict[str, Any]] = models.JSONField()
    # Counted into Tally yet? Set once, by the fold that counts it (so it is counted once).
    tallied = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["survey", "day"]),
            models.Index(
                fields=["survey"],
                condition=models.Q(tallied=False),
                name="survey_answer_untallied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Tally(models.Model):
    """How many answers of a survey, version and unit hold `value` for question `key`.

    Kept current by results.fold() when results are read, from the answers not yet counted;
    key "" counts the answers themselves. Free text is counted as given ("*"), never kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    value = models.TextField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "version", "unit", "key", "value"], name="survey_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.key}={self.value}: {self.n}"


class AnsweredToken(models.Model):
    """The hash of a visitor's random cookie token for one survey: only stops a second answer.

    The hash is the key, so rows carry no order, no time and no link to an answer."""

    digest = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.digest[:12]
