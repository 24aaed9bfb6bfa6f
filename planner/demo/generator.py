"""Seeded demo datasets: a billing-system vendor and its Russian telecom-operator clients.

The demo folder, the benchmarks and the tests all need data that looks like a real
vendor's year (summer vacation peaks, winter flu, resignations refilled weeks later,
operators spread over eleven time zones) without shipping anyone's real records. Every
table comes from `random.Random(seed)` (the columns added later from a second generator
seeded from it) and is built from lists only, so the same preset always writes
byte-identical files: a diff in `data/demo/` then always means a change of this
generator, never noise.

The incident-support columns are drawn to tell the on-call rota's story: nearly every
promised hour answered, and a few gaps with a plain reason, such as the one engineer who
knows a client's rare craft being on vacation (see "incident support" below for why the
values look as they do). They change nothing that cover planning reads.

Only the standard library is used so that generating data never pulls in the solver
stack, and the presets stay cheap enough (XL in a few seconds) to build inside a test.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

Tables = dict[str, list[dict[str, str]]]

ROLES = ("subscriber", "finance", "technical")

# Column order of every file we write: fixed, so the CSVs diff cleanly.
COLUMNS: dict[str, tuple[str, ...]] = {
    "operators": (
        "operator_id",
        "name",
        "timezone",
        "sla",
        "response_minutes",
        "region",
        "incident_level",
        "incident_skills",
    ),
    "requirements": ("operator_id", "role", "min_fte", "skills", "min_level", "priority"),
    "staff": ("staff_id", "operator_id", "role", "fte", "name", "joined_on", "left_on"),
    "absences": ("staff_id", "start", "end", "kind"),
    "specialists": (
        "specialist_id",
        "name",
        "roles",
        "timezone",
        "skills",
        "capacity_fte",
        "max_clients",
        "cost_per_hour",
        "joined_on",
        "left_on",
        "region",
        "oncall",
        "standby_response_minutes",
        "max_duty_hours",
    ),
    "specialist_absences": ("specialist_id", "start", "end", "kind"),
    "requests": (
        "request_id",
        "operator_id",
        "role",
        "start",
        "end",
        "fte",
        "skills",
        "min_level",
        "priority",
    ),
    "history": ("specialist_id", "operator_id"),
    "calendar": ("date", "working", "region", "note"),
}

# What each department works with in the billing system, with how often an operator asks
# for it. Mediation and 1C integration are the rare crafts the vendor keeps at head offices.
SKILLS: dict[str, tuple[tuple[str, float], ...]] = {
    "subscriber": (("crm", 0.6), ("tariffing", 0.4)),
    "finance": (("invoicing", 0.45), ("reconciliation", 0.35), ("1c-integration", 0.2)),
    "technical": (
        ("oracle", 0.35),
        ("linux", 0.3),
        ("integration-api", 0.2),
        ("mediation", 0.15),
    ),
}
RARE_SKILLS = ("mediation", "1c-integration")
# Crafts only incident support asks for, never cover, each with the contract that asks for
# it: roaming settlement (TAP files between networks) breaks at night for the regional
# networks; SIP-trunk billing is what the small operators who sell office telephony call
# about. Only a few senior engineers know them (see "incident support" below).
INCIDENT_CRAFTS: dict[str, str] = {"roaming": "24x7", "sip": "8x5"}
_SKILL_ORDER = [*(skill for role in ROLES for skill, _ in SKILLS[role]), *INCIDENT_CRAFTS]

# Russia has kept standard time all year since 2014, so a fixed table is exact and spares
# the generator a tzdata lookup per pair when it looks for nearby specialists.
UTC_OFFSET_HOURS: dict[str, int] = {
    "Europe/Kaliningrad": 2,
    "Europe/Moscow": 3,
    "Europe/Samara": 4,
    "Asia/Yekaterinburg": 5,
    "Asia/Omsk": 6,
    "Asia/Novosibirsk": 7,
    "Asia/Krasnoyarsk": 7,
    "Asia/Irkutsk": 8,
    "Asia/Yakutsk": 9,
    "Asia/Vladivostok": 10,
    "Asia/Magadan": 11,
    "Asia/Kamchatka": 12,
}


@dataclass(frozen=True)
class Region:
    """A federal subject where operators sit; `weight` is its population in millions."""

    name: str
    centre: str
    timezone: str
    weight: float
    stems: tuple[str, ...]


REGIONS: tuple[Region, ...] = (
    Region(
        "Калининградская область", "Калининград", "Europe/Kaliningrad", 1.0, ("Балтика", "Янтарь")
    ),
    Region("Москва", "Москва", "Europe/Moscow", 13.0, ("Столица", "Арбат", "Сокол")),
    Region("Московская область", "Красногорск", "Europe/Moscow", 8.5, ("Подмосковье", "Истра")),
    Region(
        "Санкт-Петербург", "Санкт-Петербург", "Europe/Moscow", 5.6, ("Нева", "Петербург", "Охта")
    ),
    Region("Ленинградская область", "Гатчина", "Europe/Moscow", 2.0, ("Ладога", "Ингрия")),
    Region(
        "Нижегородская область", "Нижний Новгород", "Europe/Moscow", 3.1, ("Волга", "Ока", "Нижний")
    ),
    Region("Республика Татарстан", "Казань", "Europe/Moscow", 4.0, ("Татарстан", "Идель")),
    Region("Краснодарский край", "Краснодар", "Europe/Moscow", 5.8, ("Кубань", "Черноморье")),
    Region("Ростовская область", "Ростов-на-Дону", "Europe/Moscow", 4.1, ("Дон", "Приазовье")),
    Region("Воронежская область", "Воронеж", "Europe/Moscow", 2.3, ("Воронеж", "Черноземье")),
    Region("Белгородская область", "Белгород", "Europe/Moscow", 1.5, ("Белогорье",)),
    Region("Тульская область", "Тула", "Europe/Moscow", 1.5, ("Тула", "Упа")),
    Region(
        "Ярославская область", "Ярославль", "Europe/Moscow", 1.2, ("Ярославль", "Золотое Кольцо")
    ),
    Region("Тверская область", "Тверь", "Europe/Moscow", 1.2, ("Тверь", "Верхневолжье")),
    Region("Владимирская область", "Владимир", "Europe/Moscow", 1.3, ("Владимир", "Клязьма")),
    Region("Рязанская область", "Рязань", "Europe/Moscow", 1.1, ("Рязань", "Мещёра")),
    Region("Калужская область", "Калуга", "Europe/Moscow", 1.0, ("Калуга", "Угра")),
    Region("Смоленская область", "Смоленск", "Europe/Moscow", 0.9, ("Смоленск", "Днепр")),
    Region("Мурманская область", "Мурманск", "Europe/Moscow", 0.7, ("Заполярье", "Кольский")),
    Region("Архангельская область", "Архангельск", "Europe/Moscow", 1.0, ("Поморье", "Двина")),
    Region("Республика Карелия", "Петрозаводск", "Europe/Moscow", 0.5, ("Карелия", "Онего")),
    Region("Вологодская область", "Вологда", "Europe/Moscow", 1.1, ("Вологда", "Шексна")),
    Region("Республика Коми", "Сыктывкар", "Europe/Moscow", 0.7, ("Коми", "Печора")),
    Region("Кировская область", "Киров", "Europe/Moscow", 1.1, ("Вятка",)),
    Region("Пензенская область", "Пенза", "Europe/Moscow", 1.2, ("Пенза", "Сура")),
    Region("Чувашская Республика", "Чебоксары", "Europe/Moscow", 1.2, ("Чувашия",)),
    Region(
        "Ставропольский край", "Ставрополь", "Europe/Moscow", 2.8, ("Ставрополье", "Кавминводы")
    ),
    Region("Республика Дагестан", "Махачкала", "Europe/Moscow", 3.2, ("Дагестан", "Каспий")),
    Region("Курская область", "Курск", "Europe/Moscow", 1.1, ("Курск", "Сейм")),
    Region("Липецкая область", "Липецк", "Europe/Moscow", 1.1, ("Липецк",)),
    Region("Тамбовская область", "Тамбов", "Europe/Moscow", 1.0, ("Тамбов",)),
    Region("Ивановская область", "Иваново", "Europe/Moscow", 0.9, ("Иваново",)),
    Region("Костромская область", "Кострома", "Europe/Moscow", 0.6, ("Кострома",)),
    Region("Брянская область", "Брянск", "Europe/Moscow", 1.2, ("Брянск", "Десна")),
    Region("Орловская область", "Орёл", "Europe/Moscow", 0.7, ("Орёл",)),
    Region("Псковская область", "Псков", "Europe/Moscow", 0.6, ("Псков",)),
    Region("Новгородская область", "Великий Новгород", "Europe/Moscow", 0.6, ("Ильмень",)),
    Region("Республика Мордовия", "Саранск", "Europe/Moscow", 0.8, ("Мордовия",)),
    Region("Республика Марий Эл", "Йошкар-Ола", "Europe/Moscow", 0.7, ("Марий",)),
    Region("Самарская область", "Самара", "Europe/Samara", 3.1, ("Самара", "Жигули")),
    Region("Удмуртская Республика", "Ижевск", "Europe/Samara", 1.4, ("Удмуртия", "Ижевск")),
    Region(
        "Свердловская область",
        "Екатеринбург",
        "Asia/Yekaterinburg",
        4.2,
        ("Урал", "Исеть", "Средний Урал"),
    ),
    Region("Челябинская область", "Челябинск", "Asia/Yekaterinburg", 3.4, ("Южный Урал", "Миасс")),
    Region("Республика Башкортостан", "Уфа", "Asia/Yekaterinburg", 4.0, ("Башкирия", "Агидель")),
    Region("Пермский край", "Пермь", "Asia/Yekaterinburg", 2.5, ("Прикамье", "Кама")),
    Region("Тюменская область", "Тюмень", "Asia/Yekaterinburg", 1.6, ("Тюмень", "Тура")),
    Region("Оренбургская область", "Оренбург", "Asia/Yekaterinburg", 1.9, ("Оренбуржье",)),
    Region("Курганская область", "Курган", "Asia/Yekaterinburg", 0.8, ("Зауралье",)),
    Region(
        "Ханты-Мансийский автономный округ — Югра",
        "Ханты-Мансийск",
        "Asia/Yekaterinburg",
        1.7,
        ("Югра", "Самотлор"),
    ),
    Region("Ямало-Ненецкий автономный округ", "Салехард", "Asia/Yekaterinburg", 0.5, ("Ямал",)),
    Region("Омская область", "Омск", "Asia/Omsk", 1.8, ("Омск", "Иртыш", "Прииртышье")),
    Region(
        "Новосибирская область", "Новосибирск", "Asia/Novosibirsk", 2.8, ("Сибирь", "Обь", "Академ")
    ),
    Region(
        "Красноярский край",
        "Красноярск",
        "Asia/Krasnoyarsk",
        2.8,
        ("Енисей", "Красноярье", "Таймыр"),
    ),
    Region("Республика Хакасия", "Абакан", "Asia/Krasnoyarsk", 0.5, ("Хакасия", "Саяны")),
    Region("Республика Тыва", "Кызыл", "Asia/Krasnoyarsk", 0.3, ("Тыва",)),
    Region("Иркутская область", "Иркутск", "Asia/Irkutsk", 2.3, ("Байкал", "Ангара", "Приангарье")),
    Region("Республика Бурятия", "Улан-Удэ", "Asia/Irkutsk", 1.0, ("Бурятия", "Селенга")),
    Region("Республика Саха (Якутия)", "Якутск", "Asia/Yakutsk", 1.0, ("Якутия", "Лена")),
    Region("Амурская область", "Благовещенск", "Asia/Yakutsk", 0.8, ("Амур", "Зея")),
    Region(
        "Приморский край", "Владивосток", "Asia/Vladivostok", 1.8, ("Приморье", "Находка", "Уссури")
    ),
    Region(
        "Хабаровский край", "Хабаровск", "Asia/Vladivostok", 1.3, ("Хабаровск", "Дальний Восток")
    ),
    Region("Еврейская автономная область", "Биробиджан", "Asia/Vladivostok", 0.15, ("Биробиджан",)),
    Region("Магаданская область", "Магадан", "Asia/Magadan", 0.14, ("Колыма", "Магадан")),
    Region(
        "Камчатский край", "Петропавловск-Камчатский", "Asia/Kamchatka", 0.3, ("Камчатка", "Авача")
    ),
)

_NAME_FORMS = (
    "{} Телеком",
    "{} Связь",
    "{}-Онлайн",
    "{} Коннект",
    "{}-Линк",
    "{} Мобайл",
    "{} Телесистемы",
    "{}-Инфоком",
    "{} Сети",
    "{} Нэт",
)


@dataclass(frozen=True)
class Office:
    """Where the vendor's specialists sit; Khabarovsk shares Vladivostok's zone."""

    city: str
    timezone: str
    weight: float
    head_office: bool


OFFICES: tuple[Office, ...] = (
    Office("Москва", "Europe/Moscow", 0.40, True),
    Office("Новосибирск", "Asia/Novosibirsk", 0.20, True),
    Office("Екатеринбург", "Asia/Yekaterinburg", 0.20, True),
    Office("Самара", "Europe/Samara", 0.03, False),
    Office("Красноярск", "Asia/Krasnoyarsk", 0.03, False),
    Office("Владивосток", "Asia/Vladivostok", 0.07, False),
    Office("Хабаровск", "Asia/Vladivostok", 0.07, False),
)

REPUBLIC_HOLIDAYS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "Республика Башкортостан": ((10, 11, "День Республики"), (12, 24, "День Конституции")),
    "Республика Татарстан": ((8, 30, "День Республики"), (11, 6, "День Конституции")),
}
"""The republics' own days off, (month, day, name), which the federal calendar lacks.

These two are where the demo's clients and specialists live by a calendar of their
own: a Bashkortostan client is closed on 11 October while Moscow works, so its gaps
and the cover for them move, and a specialist in Kazan is off on 30 August. Other
republics' holidays are left out of the demo. A holiday on a weekend gets no line:
it is a day off anyway.
"""

FEASTS: dict[int, tuple[tuple[date, str], ...]] = {
    2027: ((date(2027, 3, 10), "Ураза-байрам"), (date(2027, 5, 17), "Курбан-байрам")),
}
"""Both republics' movable feasts by year. The lunar calendar brings them about eleven
days earlier each year and each republic's decree fixes the day only weeks ahead, so
they cannot be computed: a preset reaching a year not listed here stops with an error
rather than quietly go without them."""

_FEAST_NOTE = "{}: дату каждый год устанавливает указ республики"

_SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
    "Соболев",
    "Ермаков",
    "Колесников",
    "Гончаров",
    "Емельянов",
    "Никифоров",
    "Грачёв",
    "Котов",
    "Гришин",
    "Ефремов",
    "Архипов",
    "Громов",
    "Кириллов",
    "Малышев",
    "Панов",
    "Моисеев",
    "Румянцев",
    "Акимов",
    "Кондратьев",
    "Бирюков",
    "Горбунов",
    "Анисимов",
    "Тихомиров",
    "Галкин",
    "Лукьянов",
    "Михеев",
    "Скворцов",
    "Юдин",
    "Белоусов",
    "Нестеров",
    "Симонов",
    "Харитонов",
    "Князев",
    "Цветков",
    "Воронов",
    "Аксёнов",
    "Мальцев",
    "Логинов",
    "Горшков",
    "Савин",
    "Краснов",
    "Майоров",
    "Демидов",
    "Елисеев",
    "Рыбаков",
    "Сафонов",
    "Плотников",
    "Хохлов",
    "Жданов",
    "Блинов",
    "Шестаков",
    "Вишневский",
    "Ковальский",
    "Сафин",
    "Галиев",
    "Хабибуллин",
    "Гайнуллин",
    "Ткаченко",
    "Бондаренко",
    "Шевченко",
    "Кравченко",
    "Саввинов",
    "Охлопков",
)
_MALE_NAMES = (
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Валерий",
    "Василий",
    "Виктор",
    "Виталий",
    "Владимир",
    "Владислав",
    "Вячеслав",
    "Геннадий",
    "Георгий",
    "Глеб",
    "Григорий",
    "Даниил",
    "Денис",
    "Дмитрий",
    "Евгений",
    "Егор",
    "Иван",
    "Игорь",
    "Илья",
    "Кирилл",
    "Константин",
    "Леонид",
    "Максим",
    "Марат",
    "Михаил",
    "Никита",
    "Николай",
    "Олег",
    "Павел",
    "Пётр",
    "Роман",
    "Руслан",
    "Сергей",
    "Станислав",
    "Степан",
    "Тимур",
    "Фёдор",
    "Юрий",
    "Ярослав",
)
_FEMALE_NAMES = (
    "Александра",
    "Алёна",
    "Алина",
    "Анастасия",
    "Анна",
    "Валентина",
    "Валерия",
    "Вера",
    "Виктория",
    "Галина",
    "Дарья",
    "Диана",
    "Евгения",
    "Екатерина",
    "Елена",
    "Елизавета",
    "Жанна",
    "Инна",
    "Ирина",
    "Кристина",
    "Ксения",
    "Лариса",
    "Лилия",
    "Любовь",
    "Людмила",
    "Маргарита",
    "Марина",
    "Мария",
    "Надежда",
    "Наталья",
    "Нина",
    "Оксана",
    "Ольга",
    "Полина",
    "Светлана",
    "София",
    "Татьяна",
    "Ульяна",
    "Юлия",
    "Яна",
    "Гульнара",
    "Алсу",
)
# Patronymic stems: + "ич" for a son, + "на" for a daughter.
_PATRONYMIC_STEMS = (
    "Александров",
    "Алексеев",
    "Андреев",
    "Анатольев",
    "Борисов",
    "Васильев",
    "Викторов",
    "Владимиров",
    "Геннадьев",
    "Дмитриев",
    "Евгеньев",
    "Иванов",
    "Игорев",
    "Михайлов",
    "Николаев",
    "Олегов",
    "Павлов",
    "Петров",
    "Романов",
    "Сергеев",
    "Юрьев",
    "Валерьев",
    "Константинов",
    "Вячеславов",
    "Степанов",
    "Фёдоров",
    "Рустамов",
    "Маратов",
)
# A small operator's one-person department is sometimes a half-time job: most often
# the accountant, rarely the engineer.
_PART_TIME_SHARE = {"subscriber": 0.2, "finance": 0.25, "technical": 0.1}
# Share of women by department, so that rosters read like real ones.
_WOMEN_SHARE = {"subscriber": 0.7, "finance": 0.8, "technical": 0.25}


@dataclass(frozen=True)
class Preset:
    """One reproducible dataset: its size, its seed and the knobs that shape its year.

    The knobs are the levers a benchmark wants to turn (how many operators are one-person
    departments, how fast people leave) without touching the generator.
    """

    name: str
    operators: int
    specialists: int
    year_start: date
    seed: int
    small_share: float = 0.6  # operators with one person per role
    turnover_rate: float = 0.15  # share of staff who leave during the year
    refill_share: float = 0.7  # regional leavers replaced (one-person departments always are)
    new_hire_share: float = 0.02  # extra mid-year hires (growing departments)
    requests: int = 6
    specialist_moves: int = 1  # specialists leaving mid-year, and as many joining in spring
    vacation_days: int = 28  # the statutory annual leave in calendar days

    @property
    def year_end(self) -> date:
        """The Sunday closing the 52-week planning year."""
        return self.year_start + timedelta(weeks=52, days=-1)


_YEAR_START = date(2027, 1, 4)

PRESETS: dict[str, Preset] = {
    # The demo seed was picked among the first 26 for a year whose cover story reads well:
    # critical work nearly all covered, a clear summer shortfall, a quiet spring.
    "demo": Preset("demo", operators=40, specialists=12, year_start=_YEAR_START, seed=14),
    "S": Preset("S", operators=40, specialists=12, year_start=_YEAR_START, seed=101),
    "M": Preset(
        "M",
        operators=100,
        specialists=30,
        year_start=_YEAR_START,
        seed=102,
        requests=15,
        specialist_moves=2,
    ),
    "L": Preset(
        "L",
        operators=300,
        specialists=60,
        year_start=_YEAR_START,
        seed=103,
        requests=45,
        specialist_moves=5,
    ),
    "XL": Preset(
        "XL",
        operators=1000,
        specialists=200,
        year_start=_YEAR_START,
        seed=104,
        requests=150,
        specialist_moves=16,
    ),
}


@dataclass
class _Operator:
    operator_id: str
    name: str
    region: Region
    regional: bool  # has departments of several people rather than one person per role

    @property
    def timezone(self) -> str:
        return self.region.timezone


@dataclass
class _Person:
    """A staff member or a specialist: what absences are generated against."""

    person_id: str
    name: str
    joined_on: date | None = None
    left_on: date | None = None
    absences: list[tuple[date, date, str]] = field(default_factory=list)


def generate(preset: Preset) -> Tables:
    """Build every table of a dataset from the preset's seed alone.

    The incident-support terms, the specialists' regions and the calendar came later
    than the rest and draw from a second generator of their own: taking them from `rng`
    would shift every draw after them and rewrite the whole demo, whose recorded
    figures the tests hold the planner to.
    """
    if preset.year_start.weekday() != 0:
        raise ValueError(f"year_start must be a Monday, got {preset.year_start}")
    rng = Random(preset.seed)
    operators = _make_operators(rng, preset)
    specialist_rows, specialists = _make_specialists(rng, preset)
    requirement_rows, staff_rows, staff = _make_operator_staffing(
        rng, preset, operators, specialist_rows
    )
    seasons = _Seasons.of(preset)
    absence_rows = []
    for person in staff:
        _add_absences(rng, preset, seasons, person)
        absence_rows += _absence_rows("staff_id", person)
    specialist_absence_rows = []
    for person in specialists:
        _add_absences(rng, preset, seasons, person, extra_leave=False)
        specialist_absence_rows += _absence_rows("specialist_id", person)
    tables = {
        "operators": [
            {
                "operator_id": op.operator_id,
                "name": op.name,
                "timezone": op.timezone,
                "sla": "24x7" if op.regional else "8x5",
                "response_minutes": _response_minutes(rng, op),
                "region": op.region.name,
            }
            for op in operators
        ],
        "requirements": requirement_rows,
        "staff": staff_rows,
        "absences": absence_rows,
        "specialists": specialist_rows,
        "specialist_absences": specialist_absence_rows,
        "requests": _make_requests(rng, preset, operators),
        "history": _make_history(rng, specialist_rows, operators),
    }
    later = Random(f"{preset.seed}-incident")
    _add_oncall_terms(later, specialist_rows)
    _teach_incident_crafts(later, preset, specialist_rows)
    _add_incident_terms(later, tables["operators"], operators, specialist_rows)
    tables["calendar"] = _make_calendar(preset, tables)
    return tables


def write_dataset(tables: Tables, folder: Path) -> None:
    """Write one CSV per table with the contract's column order.

    Plain `\\n` line ends and no BOM keep the committed demo readable in a diff and
    identical on every platform.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stem, rows in tables.items():
        columns = COLUMNS[stem]
        with (folder / f"{stem}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([row.get(column, "") for column in columns])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner.demo",
        description="Write a seeded demo dataset (one CSV per table).",
    )
    parser.add_argument("--preset", choices=list(PRESETS), default="demo")
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: data/<preset>)"
    )
    args = parser.parse_args(argv)
    preset = PRESETS[args.preset]
    folder = args.out if args.out is not None else Path("data") / preset.name
    started = time.perf_counter()
    tables = generate(preset)
    write_dataset(tables, folder)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{stem} {len(rows)}" for stem, rows in tables.items())
    print(f"{folder}: {counts} ({elapsed:.2f} s)")  # noqa: T201 - the command's own output
    return 0


# --- operators and their departments ---------------------------------------------------


def _make_operators(rng: Random, preset: Preset) -> list[_Operator]:
    zones = list(UTC_OFFSET_HOURS)
    zone_weights = [sum(r.weight for r in REGIONS if r.timezone == zone) for zone in zones]
    counts = _apportion(preset.operators, zone_weights)
    if preset.operators >= 3 * len(zones):
        # Even the demo should show a Kamchatka or Magadan client: the far east is where
        # cover is hardest, so the smallest zones get one operator, taken from the largest.
        for index, count in enumerate(counts):
            if count == 0:
                counts[counts.index(max(counts))] -= 1
                counts[index] = 1
    operator_zones = [zone for zone, count in zip(zones, counts, strict=True) for _ in range(count)]
    rng.shuffle(operator_zones)
    regional_count = round(preset.operators * (1 - preset.small_share))
    regional = set(rng.sample(range(preset.operators), regional_count))
    taken: set[str] = set()
    operators = []
    for index, zone in enumerate(operator_zones):
        regions = [r for r in REGIONS if r.timezone == zone]
        region = rng.choices(regions, weights=[r.weight for r in regions])[0]
        operators.append(
            _Operator(
                operator_id=f"OP{index + 1:04d}",
                name=_operator_name(rng, region, taken),
                region=region,
                regional=index in regional,
            )
        )
    return operators


def _operator_name(rng: Random, region: Region, taken: set[str]) -> str:
    """A brand like «Камчатка Связь», unique in the dataset so screens can tell them apart."""
    for _ in range(20):
        name = rng.choice(_NAME_FORMS).format(rng.choice(region.stems))
        if name not in taken:
            break
    else:
        name = f"{name} ({region.centre})"
        suffix = 2
        while name in taken:
            name = f"{rng.choice(_NAME_FORMS).format(rng.choice(region.stems))} {suffix}"
            suffix += 1
    taken.add(name)
    return name


def _response_minutes(rng: Random, operator: _Operator) -> str:
    """Within the hour round the clock; within hours for a small client in office hours.

    This draw from the first generator predates the incident story: it stays one draw
    (`choices` takes one number whatever the weights) so that nothing after it moves.
    """
    if operator.regional:
        return rng.choices(("30", "45", "60"), weights=(0.4, 0.2, 0.4))[0]
    return rng.choices(("120", "240", "480"), weights=(0.3, 0.5, 0.2))[0]


def _make_operator_staffing(
    rng: Random,
    preset: Preset,
    operators: list[_Operator],
    specialist_rows: list[dict[str, str]],
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[_Person]]:
    """Requirements, staff rows and the people behind them (for their absences).

    A one-person department needs its person every day, so its `min_fte` equals that
    person's FTE; a regional department keeps some slack and only has a gap when several
    people are away together.
    """
    bench = [_Capability.of(row) for row in specialist_rows]
    requirement_rows: list[dict[str, str]] = []
    staff_rows: list[dict[str, str]] = []
    people: list[_Person] = []
    names: set[str] = set()

    def hire(
        operator_id: str, role: str, fte: float, joined_on: date | None = None
    ) -> dict[str, str]:
        person = _Person(
            f"ST{len(people) + 1:05d}", _person_name(rng, role, names), joined_on=joined_on
        )
        people.append(person)
        row = {
            "staff_id": person.person_id,
            "operator_id": operator_id,
            "role": role,
            "fte": _fmt_fte(fte),
            "name": person.name,
            "joined_on": _iso(joined_on),
            "left_on": "",
        }
        staff_rows.append(row)
        return row

    for op in operators:
        for role in ROLES:
            if op.regional:
                headcount = rng.choices((2, 3, 4, 5), weights=(0.2, 0.35, 0.3, 0.15))[0]
                ftes = [
                    rng.choices((1.0, 0.8, 0.5), weights=(0.85, 0.07, 0.08))[0]
                    for _ in range(headcount)
                ]
                slack = (
                    rng.choices((0.5, 1.0), (0.3, 0.7))[0]
                    if headcount == 2
                    else rng.choices((1.0, 1.5), (0.75, 0.25))[0]
                )
                # Rounded down to half an FTE: the slack is never less than intended.
                min_fte = max(0.5, math.floor(2 * (sum(ftes) - slack) + 1e-9) / 2)
            else:
                ftes = [1.0 if rng.random() >= _PART_TIME_SHARE[role] else 0.5]
                min_fte = ftes[0]
            for fte in ftes:
                hire(op.operator_id, role, fte)
            skills, min_level = _requirement_cover(rng, role, op, bench)
            requirement_rows.append(
                {
                    "operator_id": op.operator_id,
                    "role": role,
                    "min_fte": _fmt_fte(min_fte),
                    "skills": skills,
                    "min_level": min_level,
                    "priority": _requirement_priority(rng, role, op),
                }
            )

    regional_ids = [op.operator_id for op in operators if op.regional]
    _add_turnover(rng, preset, staff_rows, people, hire, frozenset(regional_ids))
    growing = regional_ids or [op.operator_id for op in operators]
    for _ in range(round(len(people) * preset.new_hire_share)):
        joined_on = _monday_between(
            rng, date(preset.year_start.year, 3, 1), date(preset.year_start.year, 10, 31)
        )
        hire(rng.choice(growing), rng.choice(ROLES), 1.0, joined_on=joined_on)
    return requirement_rows, staff_rows, people


def _add_turnover(
    rng: Random,
    preset: Preset,
    staff_rows: list[dict[str, str]],
    people: list[_Person],
    hire: Callable[..., dict[str, str]],
    regional_ids: frozenset[str],
) -> None:
    """Resignations during the year, most refilled 2-10 weeks after the last day.

    The refill delay is what turns a resignation into weeks of gap at a one-person
    department; the leavers never refilled leave a gap to the end of the year.
    """
    leavers = rng.sample(range(len(people)), round(len(people) * preset.turnover_rate))
    leavers.sort()
    for index in leavers:
        row, person = staff_rows[index], people[index]
        left_on = _last_working_day(
            _day_between(
                rng, preset.year_start + timedelta(days=14), preset.year_end - timedelta(days=30)
            )
        )
        person.left_on = left_on
        row["left_on"] = left_on.isoformat()
        # A one-person department cannot stay empty; a regional one sometimes does.
        if row["operator_id"] not in regional_ids or rng.random() < preset.refill_share:
            joined_on = _next_monday(left_on + timedelta(weeks=rng.randint(2, 10)))
            if joined_on <= preset.year_end:
                hire(row["operator_id"], row["role"], float(row["fte"]), joined_on=joined_on)


def _requirement_cover(
    rng: Random, role: str, operator: _Operator, bench: list[_Capability]
) -> tuple[str, str]:
    """Skills and minimum level an operator asks of whoever covers a role.

    Operators sign for cover the vendor can give, so a wish no specialist within reach
    could meet is usually redrawn; one in four stands, which keeps some demand scarce
    for reasons a planner should be able to explain.
    """
    for _ in range(3):
        count = rng.choices((0, 1, 2), weights=(0.45, 0.4, 0.15))[0]
        min_level = rng.choices((1, 2, 3), weights=(0.5, 0.38, 0.12))[0]
        if role == "technical" and _runs_own_mediation(operator):
            return _mediation_and(rng, count), str(min_level)
        skills = _pick_skills(rng, role, count)
        if _servable(bench, operator, role, skills, min_level) or rng.random() < 0.25:
            break
    return skills, str(min_level)


def _runs_own_mediation(operator: _Operator) -> bool:
    """Operators at the far end of the country run their own mediation platforms.

    They need someone who knows them, in cover and in incidents alike: what the vendor
    is least able to give, since its mediation experts sit at the head offices, hours away.
    """
    return UTC_OFFSET_HOURS[operator.timezone] >= 11


def _mediation_and(rng: Random, count: int) -> str:
    """Mediation and `count - 1` common technical skills (mediation alone for 0 or 1)."""
    others = _pick_skills(rng, "technical", max(0, count - 1), allow_rare=False)
    return _join_skills(["mediation", *filter(None, others.split(";"))])


@dataclass(frozen=True)
class _Capability:
    """What one specialist can take on, parsed once for the requirement draws."""

    levels: dict[str, int]
    skills: frozenset[str]
    utc_offset: int

    @classmethod
    def of(cls, row: dict[str, str]) -> _Capability:
        levels = {
            role: int(level)
            for role, level in (item.split(":") for item in row["roles"].split(";"))
        }
        return cls(levels, frozenset(row["skills"].split(";")), UTC_OFFSET_HOURS[row["timezone"]])


def _servable(
    bench: list[_Capability], operator: _Operator, role: str, skills: str, min_level: int
) -> bool:
    """Whether some specialist could ever take this cover under the default 4-hour gap."""
    wanted = set(filter(None, skills.split(";")))
    offset = UTC_OFFSET_HOURS[operator.timezone]
    return any(
        capability.levels.get(role, 0) >= min_level
        and wanted <= capability.skills
        and abs(capability.utc_offset - offset) <= 4
        for capability in bench
    )


def _requirement_priority(rng: Random, role: str, operator: _Operator) -> str:
    weights = {
        "technical": (0.6, 0.3, 0.1),
        "finance": (0.15, 0.55, 0.3),
        "subscriber": (0.05, 0.3, 0.65),
    }[role]
    if operator.regional and role != "technical":
        weights = (weights[0] + 0.1, weights[1], max(0.0, weights[2] - 0.1))
    return rng.choices(("critical", "high", "normal"), weights=weights)[0]


def _pick_skills(rng: Random, role: str, count: int, allow_rare: bool = True) -> str:
    options = [
        (skill, weight) for skill, weight in SKILLS[role] if allow_rare or skill not in RARE_SKILLS
    ]
    chosen: list[str] = []
    while len(chosen) < min(count, len(options)):
        remaining = [(s, w) for s, w in options if s not in chosen]
        chosen.append(rng.choices([s for s, _ in remaining], [w for _, w in remaining])[0])
    return _join_skills(chosen)


def _join_skills(skills: list[str]) -> str:
    return ";".join(sorted(skills, key=_SKILL_ORDER.index))


# --- the vendor's specialists ----------------------------------------------------------


def _make_specialists(rng: Random, preset: Preset) -> tuple[list[dict[str, str]], list[_Person]]:
    counts = _apportion(preset.specialists, [office.weight for office in OFFICES])
    offices = [office for office, count in zip(OFFICES, counts, strict=True) for _ in range(count)]
    rng.shuffle(offices)
    # Every operator has all three departments, so the vendor keeps a balanced bench:
    # primary roles by quota, with the most in technical, where most of the critical work is.
    role_counts = _apportion(preset.specialists, (0.29, 0.29, 0.42))
    primaries = [role for role, count in zip(ROLES, role_counts, strict=True) for _ in range(count)]
    rng.shuffle(primaries)
    # Most specialists are full-time; quotas keep a 12-person bench from drawing four
    # part-timers by chance.
    capacity_counts = _apportion(preset.specialists, (0.75, 0.1, 0.05, 0.1))
    capacities = [
        fte
        for fte, count in zip((1.0, 0.8, 0.6, 0.5), capacity_counts, strict=True)
        for _ in range(count)
    ]
    rng.shuffle(capacities)
    level_counts = _apportion(preset.specialists, (0.15, 0.45, 0.4))
    main_levels = [
        level for level, count in zip((1, 2, 3), level_counts, strict=True) for _ in range(count)
    ]
    rng.shuffle(main_levels)
    # Moves happen at head offices: that is where the vendor hires and where people leave
    # for other jobs; the two far-east specialists are too precious to lose in the demo.
    head_office_indices = [i for i, office in enumerate(offices) if office.head_office]
    moves = min(preset.specialist_moves, len(head_office_indices) // 2)
    moving = rng.sample(head_office_indices, 2 * moves)
    leaving, joining = set(moving[:moves]), set(moving[moves:])
    benches: list[tuple[list[str], list[int], list[str]]] = []  # roles, levels, skills
    for index, office in enumerate(offices):
        role_count = rng.choices((1, 2, 3), weights=(0.35, 0.45, 0.2))[0]
        primary = primaries[index]
        others = [role for role in ROLES if role != primary]
        roles = [primary, *rng.sample(others, role_count - 1)]
        levels = [main_levels[index]] + [
            rng.choices((1, 2, 3), weights=(0.45, 0.4, 0.15))[0] for _ in roles[1:]
        ]
        skills: list[str] = []
        for position, role in enumerate(roles):
            skills += _specialist_skills(
                rng, role, main=position == 0, allow_rare=office.head_office
            )
        benches.append((roles, levels, skills))
    _keep_every_craft(rng, preset, offices, benches)

    year = preset.year_start.year
    rows: list[dict[str, str]] = []
    people: list[_Person] = []
    names: set[str] = set()
    for index, (office, (roles, levels, skills)) in enumerate(zip(offices, benches, strict=True)):
        base = {1: (1200, 1700), 2: (1700, 2500), 3: (2500, 3300)}[levels[0]]
        cost = rng.randint(*base) + (200 if office.city == "Москва" else 0)
        person = _Person(f"SP{index + 1:03d}", _person_name(rng, roles[0], names))
        if index in leaving:
            person.left_on = _last_working_day(
                _day_between(rng, date(year, 6, 15), date(year, 8, 31))
            )
        if index in joining:
            person.joined_on = _monday_between(rng, date(year, 3, 1), date(year, 5, 31))
        people.append(person)
        rows.append(
            {
                "specialist_id": person.person_id,
                "name": person.name,
                "roles": ";".join(
                    f"{role}:{level}" for role, level in zip(roles, levels, strict=True)
                ),
                "timezone": office.timezone,
                "skills": _join_skills(skills),
                "capacity_fte": _fmt_fte(capacities[index]),
                "max_clients": str(rng.choices((2, 3, 4), weights=(0.25, 0.5, 0.25))[0]),
                "cost_per_hour": str(min(3500, round(cost / 50) * 50)),
                "joined_on": _iso(person.joined_on),
                "left_on": _iso(person.left_on),
            }
        )
    return rows, people


def _keep_every_craft(
    rng: Random,
    preset: Preset,
    offices: list[Office],
    benches: list[tuple[list[str], list[int], list[str]]],
) -> None:
    """Make sure each skill has holders in proportion to how often operators ask for it.

    A vendor staffs its bench for the work it sells; left to chance, a 12-person bench
    can miss a whole craft and make a tenth of the demand uncoverable for no story.
    Scarcity stays where it belongs: rare crafts get few holders, all at head offices.
    """
    for role in ROLES:
        for skill, share in SKILLS[role]:
            needed = max(1, round(preset.specialists * share / 3))
            holders = sum(role in roles and skill in skills for roles, _, skills in benches)
            candidates = [
                i
                for i, (roles, _, skills) in enumerate(benches)
                if role in roles and skill not in skills and offices[i].head_office
            ]
            main = [i for i in candidates if benches[i][0][0] == role]
            while holders < needed and candidates:
                pick = rng.choice(main or candidates)
                benches[pick][2].append(skill)
                candidates.remove(pick)
                if pick in main:
                    main.remove(pick)
                holders += 1


def _specialist_skills(rng: Random, role: str, main: bool, allow_rare: bool) -> list[str]:
    """What a specialist knows in one role: most of its common skills in the main role.

    The chance follows how often operators ask for a skill, so the bench matches demand,
    and the rare crafts stay scarce: only head offices have them at all.
    """
    held = [
        skill
        for skill, share in SKILLS[role]
        if (allow_rare or skill not in RARE_SKILLS)
        and rng.random() < min(0.9, share * (2.2 if main else 1.2))
    ]
    return held or [_pick_skills(rng, role, 1, allow_rare=False)]


def _make_requests(rng: Random, preset: Preset, operators: list[_Operator]) -> list[dict[str, str]]:
    """Temporary help operators ask for on top of gaps: migrations, tariff launches."""
    year = preset.year_start.year
    rows = []
    for number in range(1, preset.requests + 1):
        role = rng.choice(ROLES)
        weeks = rng.randint(1, 8)
        start = _monday_between(rng, date(year, 2, 1), date(year, 11, 15))
        skill_count = rng.choices((0, 1, 2), weights=(0.4, 0.45, 0.15))[0]
        rows.append(
            {
                "request_id": f"RQ{number:03d}",
                "operator_id": rng.choice(operators).operator_id,
                "role": role,
                "start": start.isoformat(),
                "end": (start + timedelta(weeks=weeks, days=-3)).isoformat(),  # a Friday
                "fte": _fmt_fte(rng.choice((0.2, 0.3, 0.5, 0.5, 0.5, 0.8, 1.0))),
                "skills": _pick_skills(rng, role, skill_count),
                "min_level": str(rng.choices((1, 2, 3), weights=(0.4, 0.4, 0.2))[0]),
                "priority": rng.choices(("critical", "high", "normal"), weights=(0.2, 0.4, 0.4))[0],
            }
        )
    return rows


def _make_history(
    rng: Random, specialist_rows: list[dict[str, str]], operators: list[_Operator]
) -> list[dict[str, str]]:
    """Two to four past clients per specialist, mostly in their own time-zone area."""
    rows = []
    for specialist in specialist_rows:
        offset = UTC_OFFSET_HOURS[specialist["timezone"]]
        candidates = [op for op in operators if abs(UTC_OFFSET_HOURS[op.timezone] - offset) <= 3]
        weights = [4 - abs(UTC_OFFSET_HOURS[op.timezone] - offset) for op in candidates]
        for op in _weighted_sample(rng, candidates, weights, rng.randint(2, 4)):
            rows.append(
                {"specialist_id": specialist["specialist_id"], "operator_id": op.operator_id}
            )
    return rows


# --- incident support, regions and the regional calendar ---------------------------------
#
# The on-call rota should tell a story a dispatcher recognises: almost every promised hour
# answered, and the few gaps each with a reason one can say in a sentence.
#
# - A regional network runs round the clock and is promised an answer within 30-60 minutes;
#   a small client is promised one within hours (2-8), in its office hours only. Standby
#   answers take 15-30 minutes for most engineers, so a night call can meet a 30-minute
#   promise; an engineer who needs 45 minutes at home is rare and answers only the slower.
# - Most clients ask a middle engineer (level 2) with no craft or a common one, and only
#   crafts enough on-call engineers share to be on duty through every promised hour of a
#   week: that line is covered except in weeks when too many are on vacation at once.
# - A few ask a senior (level 3) who knows a rare craft (`INCIDENT_CRAFTS`). Only a few
#   seniors know each, and the rarest may have a single holder: those clients have the
#   gaps with the plainest reasons (the only qualified engineer is on vacation, or has
#   used up the week's duty hours). The crafts are words no requirement or request uses,
#   so teaching them changes no cover. Far-east clients still ask mediation, as in cover.
# - At least one engineer in the far east is on call: their working day is Moscow's night,
#   when they answer at the desk, not from bed.
#
# Only the incident columns follow the story. Everything cover reads (regions included,
# and the calendar that follows them) draws as it did, number for number.

# How often a specialist works from home somewhere in the office's time zone rather
# than in the office's own region: the vendor hires where the people are.
_REMOTE_SHARE = 0.35


def _add_oncall_terms(rng: Random, specialist_rows: list[dict[str, str]]) -> None:
    """Where each specialist lives and what their on-call contract says.

    Only engineers answer incidents, so a specialist without the technical role is not
    on call; among engineers a few opt out, part-timers more often. A part-timer's weekly
    duty cap shrinks with the time they work, in whole four-hour blocks (the shortest shift).
    """
    for row in specialist_rows:
        capacity = float(row["capacity_fte"])
        roles = {item.split(":")[0] for item in row["roles"].split(";")}
        row["region"] = _home_region(rng, row["timezone"]).name
        # One number each for opt-out, standby and duty, whatever the weights: the next
        # specialist's region is drawn from the same generator and must not move.
        opt_out = 0.35 if capacity < 1 else 0.1
        row["oncall"] = "yes" if "technical" in roles and rng.random() >= opt_out else "no"
        standby = rng.choices((15, 20, 30, 45), weights=(0.3, 0.3, 0.32, 0.08))[0]
        row["standby_response_minutes"] = str(standby)
        duty = rng.choices((24, 32, 40, 48), weights=(0.1, 0.25, 0.45, 0.2))[0]
        row["max_duty_hours"] = str(4 * math.floor(duty * capacity / 4 + 1e-9))
    _someone_in_every_republic(rng, specialist_rows)
    _someone_on_call_in_the_far_east(specialist_rows)


def _home_region(rng: Random, timezone: str) -> Region:
    """Mostly an office's own region; otherwise anywhere in its zone, by population."""
    offices = [
        (region, office.weight)
        for office in OFFICES
        if office.timezone == timezone
        for region in REGIONS
        if region.centre == office.city
    ]
    if offices and rng.random() >= _REMOTE_SHARE:
        return rng.choices([r for r, _ in offices], weights=[w for _, w in offices])[0]
    zone = [region for region in REGIONS if region.timezone == timezone]
    return rng.choices(zone, weights=[region.weight for region in zone])[0]


def _someone_in_every_republic(rng: Random, specialist_rows: list[dict[str, str]]) -> None:
    """Move one specialist of a republic's zone there when chance left it without anyone.

    The republics' holidays are what the regional calendar shows: a specialist who is
    off on Ураза-байрам while the office works. A 12-person bench would have one in
    Kazan or Ufa only by luck.
    """
    for name in REPUBLIC_HOLIDAYS:
        if any(row["region"] == name for row in specialist_rows):
            continue
        zone = next(region.timezone for region in REGIONS if region.name == name)
        movable = [
            row
            for row in specialist_rows
            if row["timezone"] == zone and row["region"] not in REPUBLIC_HOLIDAYS
        ]
        if movable:
            rng.choice(movable)["region"] = name


_FAR_EAST_OFFSET = 10  # Vladivostok and east of it


def _someone_on_call_in_the_far_east(specialist_rows: list[dict[str, str]]) -> None:
    """Put the most senior far-east engineer on call when chance left the far east without.

    Vladivostok's and Khabarovsk's working day is Moscow's night: an engineer there on duty
    answers the night's incidents at the desk in minutes, which no one in Moscow can.
    """
    far_east = [
        row
        for row in specialist_rows
        if UTC_OFFSET_HOURS[row["timezone"]] >= _FAR_EAST_OFFSET
        and _Capability.of(row).levels.get("technical", 0) > 0
    ]
    if far_east and not any(row["oncall"] == "yes" for row in far_east):
        senior = max(far_east, key=lambda row: _Capability.of(row).levels["technical"])
        senior["oncall"] = "yes"


def _teach_incident_crafts(
    rng: Random, preset: Preset, specialist_rows: list[dict[str, str]]
) -> None:
    """Give each of `INCIDENT_CRAFTS` to a few senior engineers, and put those on call.

    Rare knowledge is spread: seniors who know the fewest rare crafts (mediation
    included) come first, and among them those on call by their own choice, so one
    senior's vacation does not take every rare craft off the rota. A senior who knows a
    craft the vendor sells as incident support is on the rota, whatever they would rather.
    The rarest craft has one holder on a small bench, so the demo has a client whose only
    qualified engineer takes vacations.
    """
    seniors = [
        row for row in specialist_rows if _Capability.of(row).levels.get("technical", 0) == 3
    ]
    volunteers = {row["specialist_id"] for row in seniors if row["oncall"] == "yes"}
    holders = {
        "roaming": max(2, round(preset.specialists / 15)),
        "sip": max(1, round(preset.specialists / 40)),
    }
    for craft in INCIDENT_CRAFTS:
        candidates = rng.sample(seniors, len(seniors))
        candidates.sort(
            key=lambda row: (
                len(_Capability.of(row).skills & {*RARE_SKILLS, *INCIDENT_CRAFTS}),
                row["specialist_id"] not in volunteers,
            )
        )
        for row in candidates[: holders[craft]]:
            row["skills"] = _join_skills([*row["skills"].split(";"), craft])
            row["oncall"] = "yes"


def _add_incident_terms(
    rng: Random,
    operator_rows: list[dict[str, str]],
    operators: list[_Operator],
    specialist_rows: list[dict[str, str]],
) -> None:
    """The incident-support contract's level and skills, beside its SLA and response time.

    A few clients of each contract ask a senior who knows that contract's rare craft; the
    far east asks mediation; everyone else a middle engineer (a small client sometimes a
    junior) with no craft or a common one, redrawn up to twice while the on-call engineers
    able to answer could not be on duty for every promised hour of a week between them,
    and asking no craft after that.
    """
    responders = [
        (_Capability.of(row), row)
        for row in specialist_rows
        if row["oncall"] == "yes" and not row["joined_on"] and not row["left_on"]
    ]
    asking: dict[int, str] = {}
    for craft, sla in INCIDENT_CRAFTS.items():
        pool = [
            i
            for i, op in enumerate(operators)
            if (op.regional == (sla == "24x7")) and not _runs_own_mediation(op)
        ]
        count = max(1, round(len(pool) / (15 if sla == "24x7" else 20)))
        for i in rng.sample(pool, min(count, len(pool))):
            asking[i] = craft
    for i, (row, operator) in enumerate(zip(operator_rows, operators, strict=True)):
        if i in asking:
            row["incident_level"], row["incident_skills"] = "3", asking[i]
            continue
        minutes = int(row["response_minutes"])
        for _ in range(3):
            if operator.regional:
                level = 2
                count = rng.choices((0, 1), weights=(0.6, 0.4))[0]
            else:
                level = rng.choices((1, 2), weights=(0.35, 0.65))[0]
                count = rng.choices((0, 1), weights=(0.5, 0.5))[0]
            if _runs_own_mediation(operator):
                skills = _mediation_and(rng, count)
                break
            skills = _pick_skills(rng, "technical", count, allow_rare=False)
            if _staffed(responders, operator, level, skills, minutes):
                break
        else:
            skills = ""
        row["incident_level"] = str(level)
        row["incident_skills"] = skills


def _staffed(
    responders: list[tuple[_Capability, dict[str, str]]],
    operator: _Operator,
    level: int,
    skills: str,
    minutes: int,
) -> bool:
    """Whether the engineers able to answer have duty hours enough for a week's promise.

    `responders` are the engineers on call all year (one who leaves in August does not
    answer in September); a fifth spare leaves room for the rest between shifts and an
    ordinary vacation. A week promises 168 hours round the clock, 5 x 9 in office hours.
    """
    promised = 168 if operator.regional else 45
    wanted = set(filter(None, skills.split(";")))
    hours = sum(
        int(row["max_duty_hours"])
        for capability, row in responders
        if capability.levels.get("technical", 0) >= level
        and wanted <= capability.skills
        and int(row["standby_response_minutes"]) <= minutes
    )
    return hours >= 1.2 * promised


def _make_calendar(preset: Preset, tables: Tables) -> list[dict[str, str]]:
    """`calendar.csv`: the republics' own days off, for the republics the dataset has.

    Every year the preset's year touches is covered; only 1-8 January of a year may do
    without its feast dates, since those days are off for everyone anyway.
    """
    present = {row["region"] for stem in ("operators", "specialists") for row in tables[stem]}
    republics = [name for name in REPUBLIC_HOLIDAYS if name in present]
    days: list[tuple[date, str, str]] = []
    for year in range(preset.year_start.year, preset.year_end.year + 1):
        if min(preset.year_end, date(year, 12, 31)) <= date(year, 1, 8):
            continue
        if year not in FEASTS:
            raise ValueError(f"no dates of Ураза-байрам and Курбан-байрам for {year} in FEASTS")
        for name in republics:
            days += [(day, name, _FEAST_NOTE.format(feast)) for day, feast in FEASTS[year]]
            days += [
                (date(year, month, day), name, holiday)
                for month, day, holiday in REPUBLIC_HOLIDAYS[name]
            ]
    return [
        {"date": day.isoformat(), "working": "no", "region": region, "note": note}
        for day, region, note in sorted(days)
        if preset.year_start <= day <= preset.year_end and day.weekday() < 5
    ]


# --- absences ----------------------------------------------------------------------------


def _add_absences(
    rng: Random, preset: Preset, seasons: _Seasons, person: _Person, extra_leave: bool = True
) -> None:
    """Vacation, sick leave and (for operator staff) training and other leave.

    Only days inside the person's employment get absences: an absence of someone who
    has not joined yet would be noise the planner silently ignores.
    """
    first = person.joined_on or preset.year_start - timedelta(days=7)
    last = min(person.left_on or preset.year_end, preset.year_end)
    if last < first:
        return
    employed_share = min(1.0, ((last - first).days + 1) / 364)
    # A new hire earns the first vacation after six months (Labour Code, art. 122).
    vacation_from = first + timedelta(days=182) if person.joined_on else first
    vacation_days = round(preset.vacation_days * employed_share)
    if vacation_days >= 7 and vacation_from < last:
        _add_vacation(rng, seasons, person, vacation_days, vacation_from, last)

    sick_from = max(first, preset.year_start)
    _add_sick_leave(rng, seasons, person, employed_share, sick_from, last)
    if extra_leave:
        _add_other_leave(rng, seasons, person, sick_from, last)


def _add_sick_leave(
    rng: Random, seasons: _Seasons, person: _Person, employed_share: float, first: date, last: date
) -> None:
    """0-3 sick spells of 3-10 days, fewer for someone employed part of the year."""
    sick_spells = rng.choices((0, 1, 2, 3), weights=(0.2, 0.45, 0.3, 0.05))[0]
    for _ in range(round(sick_spells * employed_share)):
        start = seasons.sick.draw(rng, first, last)
        if start is not None:
            end = min(start + timedelta(days=rng.randint(3, 10) - 1), last)
            person.absences.append((start, end, "sick"))


def _add_other_leave(
    rng: Random, seasons: _Seasons, person: _Person, first: date, last: date
) -> None:
    """Training now and then, short leave, and rarely a long parental or unpaid leave."""
    if rng.random() < 0.1:
        start = seasons.training.draw(rng, first, last, monday=True)
        if start is not None:
            end = min(start + timedelta(days=rng.randint(2, 5) - 1), last)
            person.absences.append((start, end, "training"))
    roll = rng.random()
    if roll < 0.05:
        start = seasons.any_time.draw(rng, first, last)
        if start is not None:
            end = min(start + timedelta(days=rng.randint(1, 5) - 1), last)
            person.absences.append((start, end, "leave"))
    elif roll < 0.06:
        # Parental or long unpaid leave: rare, but the longest gap a department sees.
        start = seasons.any_time.draw(rng, first, last, monday=True)
        if start is not None:
            end = min(start + timedelta(weeks=rng.randint(8, 20), days=-1), last)
            person.absences.append((start, end, "leave"))


def _add_vacation(
    rng: Random, seasons: _Seasons, person: _Person, total_days: int, first: date, last: date
) -> None:
    """Split the year's vacation in 1-3 parts, one of at least 14 days (Labour Code, art. 125)."""
    roll = rng.random()
    if total_days < 21 or roll < 0.2:
        parts = [total_days]
    elif roll < 0.7:
        long_part = rng.choice((14, 14, 21)) if total_days >= 28 else 14
        parts = [long_part, total_days - long_part]
    else:
        rest = total_days - 14
        parts = [14, rest // 2, rest - rest // 2]
    placed: list[tuple[date, date]] = []
    for length in parts:
        for _ in range(30):
            start = seasons.vacation.draw(
                rng, first, last - timedelta(days=length - 1), monday=True
            )
            if start is None:
                break
            if rng.random() < 0.25:
                start += timedelta(days=rng.randint(1, 4))
            end = start + timedelta(days=length - 1)
            if end > last:
                continue
            # Parts of one vacation are at least two weeks apart; otherwise they are one.
            if all(
                end + timedelta(days=14) < s or e + timedelta(days=14) < start for s, e in placed
            ):
                placed.append((start, end))
                person.absences.append((start, end, "vacation"))
                break


def _vacation_weight(monday: date, preset: Preset) -> float:
    """Summer and the New Year holidays are when Russians take their vacation."""
    if monday <= preset.year_start:
        return 2.5  # the first two weeks of January, starting in late December
    return {5: 1.3, 6: 3.0, 7: 3.5, 8: 3.0, 9: 1.3, 12: 1.0}.get(monday.month, 0.8)


def _sick_weight(monday: date, _preset: Preset) -> float:
    return {1: 2.5, 2: 2.5, 3: 2.0, 4: 1.2, 10: 1.2, 11: 1.8, 12: 2.0, 6: 0.6, 7: 0.5, 8: 0.6}.get(
        monday.month, 1.0
    )


def _training_weight(monday: date, _preset: Preset) -> float:
    return 1.0 if monday.month in (2, 3, 4, 9, 10, 11) else 0.1


def _flat_weight(_monday: date, _preset: Preset) -> float:
    return 1.0


class _Season:
    """Draws start days with a seasonal weight per week, precomputed once per dataset.

    Thousands of people draw several dates each; weighting the ~54 weeks once keeps the
    XL preset within seconds.
    """

    def __init__(self, preset: Preset, weight: Callable[[date, Preset], float]) -> None:
        first = preset.year_start - timedelta(weeks=1)
        self.mondays = [first + timedelta(weeks=k) for k in range(54)]
        self.weights = [weight(monday, preset) for monday in self.mondays]

    def draw(self, rng: Random, first: date, last: date, monday: bool = False) -> date | None:
        """A start in [first, last]: a week by weight, then its Monday or any weekday."""
        if last < first:
            return None
        lo = bisect_left(self.mondays, first - timedelta(days=first.weekday()))
        hi = bisect_right(self.mondays, last)
        if lo >= hi:
            return first
        mondays, weights = self.mondays[lo:hi], self.weights[lo:hi]
        for _ in range(10):
            week = rng.choices(mondays, weights=weights)[0]
            day = week if monday else week + timedelta(days=rng.randint(0, 4))
            if first <= day <= last:
                return day
        return first


@dataclass(frozen=True)
class _Seasons:
    vacation: _Season
    sick: _Season
    training: _Season
    any_time: _Season

    @classmethod
    def of(cls, preset: Preset) -> _Seasons:
        return cls(
            _Season(preset, _vacation_weight),
            _Season(preset, _sick_weight),
            _Season(preset, _training_weight),
            _Season(preset, _flat_weight),
        )


def _absence_rows(id_column: str, person: _Person) -> list[dict[str, str]]:
    return [
        {
            id_column: person.person_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "kind": kind,
        }
        for start, end, kind in sorted(person.absences)
    ]


# --- small utilities ---------------------------------------------------------------------


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` by `weights` with the largest-remainder rule.

    Quotas rather than draws keep small datasets true to the intended mix: a 12-person
    vendor gets exactly its two far-east specialists instead of zero or four by chance.
    """
    scale = total / sum(weights)
    quotas = [w * scale for w in weights]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _weighted_sample(rng: Random, items: Sequence, weights: Sequence[float], count: int) -> list:
    items, weights = list(items), list(weights)
    chosen: list = []
    while items and len(chosen) < count:
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def _person_name(rng: Random, role: str, taken: set[str]) -> str:
    """«Фамилия Имя Отчество», as Russian rosters write it, unique within a file."""
    for _ in range(50):
        woman = rng.random() < _WOMEN_SHARE[role]
        surname = rng.choice(_SURNAMES)
        if woman:
            if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
                surname += "а"
            elif surname.endswith("ий"):
                surname = surname[:-2] + "ая"
        first = rng.choice(_FEMALE_NAMES if woman else _MALE_NAMES)
        patronymic = rng.choice(_PATRONYMIC_STEMS) + ("на" if woman else "ич")
        name = f"{surname} {first} {patronymic}"
        if name not in taken:
            break
    taken.add(name)
    return name


def _day_between(rng: Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _monday_between(rng: Random, first: date, last: date) -> date:
    return _next_monday(_day_between(rng, first, last - timedelta(days=6)))


def _next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_working_day(day: date) -> date:
    """People leave on a working day; a weekend date moves back to Friday."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _fmt_fte(value: float) -> str:
    return f"{value:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
