"""Believable answers for the demo surveys (and the bench): plain Python, no Django, so a
benchmark client can make them too."""

from __future__ import annotations

import random

SUGGESTIONS = [
    "Cần hướng dẫn tại bộ phận một cửa cho người lớn tuổi.",
    "Ứng dụng hay bị lỗi khi tải ảnh giấy tờ.",
    "Nên có số điện thoại hỗ trợ buổi tối.",
    "Thủ tục đất đai trực tuyến còn phải nộp bản giấy.",
    "Sóng điện thoại ở thôn yếu, khó dùng.",
    "Rất tiện, không phải đi xa.",
]
CONCERNS = [
    "Mùa mưa thi công sẽ lầy lội.",
    "Cần đền bù công bằng cho hộ hiến đất.",
    "Xe tải lớn đi lại làm hỏng đường.",
    "Mong công khai kinh phí.",
]


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def digital(rng: random.Random) -> dict[str, list[str]]:
    used = _pick(rng, {"yes": 0.55, "no": 0.45})
    raw = {
        "age_group": [_pick(rng, {"under30": 0.35, "30to50": 0.4, "over50": 0.25})],
        "used_online": [used],
    }
    if used == "yes":
        options = ["birth", "residence", "land", "business", "insurance"]
        raw["services"] = rng.sample(options, rng.randint(1, 3))
        raw["satisfaction"] = [_pick(rng, {"1": 0.05, "2": 0.1, "3": 0.25, "4": 0.4, "5": 0.2})]
    else:
        raw["why_not"] = [
            _pick(rng, {"no_internet": 0.3, "hard": 0.25, "prefer_office": 0.2, "not_know": 0.25})
        ]
    if rng.random() < 0.15:
        raw["suggestion"] = [rng.choice(SUGGESTIONS)]
    return raw


def road(rng: random.Random) -> dict[str, list[str]]:
    support = _pick(rng, {"agree": 0.62, "neutral": 0.23, "disagree": 0.15})
    raw = {"support": [support], "priorities": rng.sample(["road", "school", "water"], 3)}
    if support != "disagree":
        raw["gives_land"] = [_pick(rng, {"yes": 0.5, "talk": 0.4, "no": 0.1})]
    if rng.random() < 0.2:
        raw["concern"] = [rng.choice(CONCERNS)]
    return raw


def health(rng: random.Random) -> dict[str, list[str]]:
    return {
        "insured": [_pick(rng, {"yes": 0.85, "no": 0.15})],
        "visits": [str(rng.randint(0, 12))],
        "distance": [_pick(rng, {"under15": 0.4, "15to30": 0.4, "over30": 0.2})],
        "vaccinated": [_pick(rng, {"yes": 0.9, "no": 0.1})],
    }
