"""DATE, as a property: any date, written in every form the finder supports, reads back to itself.

Hypothesis draws a day and the article's `published`; each written form (numeric with `/`, `-`, `.`,
with and without `ngày`, padded or not; in words; with its weekday; a two-digit year; a day and month
after a time of day, or after a weekday (`thứ Sáu, 14/7`); a day of a month in words (`ngày 12 tháng
Sáu`); a month in words, capitalised or not; relative to `published`; a relative day with the written
day after it, which wins (`hôm nay, 8-5,`); a CV's range of months over years (`6/1970-12/1979`); a
season (`mùa giải 2016/17`, `mùa 2016-2017`); a full date with a stray space before its year
(`1-1- 2018`); three or four days that follow each other sharing a month (`ngày 25, 26 và 27/9/2014`))
is put in a sentence, which is then written as given,
in NFD, or with no-break spaces, and must give one DATE whose value is the drawn one and whose span
lies inside the written form. Without `published`, a relative form keeps what it is and no value, and
a day or month written without its year keeps `--MM-DD` (never guessed). The events linker, given the
day-level forms as a sentence's time (after an anniversary in brackets or not), takes that day as the
event's.
"""
import datetime
import re
import unicodedata

from hypothesis import given, settings, strategies as st

from vnfacts.extractor.dates import find_dates
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
WEEKDAY_DIGITS = ["thứ 2", "thứ 3", "thứ 4", "thứ 5", "thứ 6", "thứ 7", "Chủ nhật"]
MONTHS = ["Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Mười Hai"]
DAY_PARTS = ["sáng", "trưa", "chiều", "tối", "Sáng", "Chiều"]

days = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2049, 12, 31))


def _pad(n: int, padded: bool) -> str:
    return f"{n:02d}" if padded else str(n)


@st.composite
def written_dates(draw):
    """(form, published, value): a date written one way, the article's day, the value it must give."""
    day = draw(days)
    d, m, y = day.day, day.month, day.year
    padded = draw(st.booleans())
    dd, mm = _pad(d, padded), _pad(m, padded)
    lead = draw(st.sampled_from(["", "ngày ", "Ngày "]))
    published = draw(st.dates(min_value=day - datetime.timedelta(days=3000),
                              max_value=day + datetime.timedelta(days=3000)))
    same_year = draw(st.dates(min_value=datetime.date(y, 1, 1), max_value=datetime.date(y, 12, 31)))
    iso, month = day.isoformat(), f"{y:04d}-{m:02d}"
    kind = draw(st.sampled_from(["numeric", "words", "words_month_name", "weekday", "weekday_day_month",
                                 "short_year", "day_month", "month", "relative_day", "relative_day_then_date",
                                 "relative_weekday", "relative_unit", "month_years", "season", "stray_space",
                                 "day_run"]))
    if kind == "numeric":
        sep = draw(st.sampled_from("/-."))
        return f"{lead}{dd}{sep}{mm}{sep}{y}", published, iso
    if kind == "month_years":  # `6/1970-12/1979`: from the drawn month to a later one, no lead word
        later = draw(st.dates(min_value=day + datetime.timedelta(days=32), max_value=day + datetime.timedelta(days=20 * 365)))
        joiner = draw(st.sampled_from(["-", " - ", " – ", "–"]))
        return f"{mm}/{y}{joiner}{_pad(later.month, padded)}/{later.year}", published, f"{month}/{later.year:04d}-{later.month:02d}"
    if kind == "season":  # `mùa giải 2016/17`, `mùa 2016-2017`: the two years
        second = draw(st.sampled_from([f"{(y + 1) % 100:02d}", str(y + 1)]))
        lead_word = draw(st.sampled_from(["mùa giải", "mùa", "Mùa giải"]))
        return f"{lead_word} {y}{draw(st.sampled_from(['/', '-']))}{second}", published, f"{y:04d}/{y + 1:04d}"
    if kind == "day_run":  # `các ngày 25, 26 và 27/9/2014`, `ngày 6, 7, 8 tháng 7 năm 2014`: one range
        first = day if d <= 26 else day.replace(day=1)
        run = [first + datetime.timedelta(days=i) for i in range(draw(st.integers(min_value=3, max_value=4)))]
        numbers = [_pad(x.day, padded) for x in run]
        listed = f"{', '.join(numbers[:-1])}{draw(st.sampled_from([', ', ' và ']))}{numbers[-1]}"
        month_part = draw(st.sampled_from([f"/{mm}/{y}", f" tháng {mm} năm {y}"]))
        return f"ngày {listed}{month_part}", published, f"{run[0].isoformat()}/{run[-1].isoformat()}"
    if kind == "stray_space":  # `ngày 1-1- 2018`: one date
        sep = draw(st.sampled_from("/-"))
        return f"{lead}{dd}{sep}{mm}{sep} {y}", published, iso
    if kind == "words":
        return f"{draw(st.sampled_from(['ngày ', 'Ngày ', '']))}{dd} tháng {mm} năm {y}", published, iso
    if kind == "words_month_name":  # `ngày 12 tháng Sáu`, `12 tháng sáu năm 2024`
        word = MONTHS[m - 1]
        written = draw(st.sampled_from([word, word.lower() if word != "Năm" else word]))
        if draw(st.booleans()):
            return f"{draw(st.sampled_from(['ngày ', 'Ngày ', '']))}{dd} tháng {written} năm {y}", published, iso
        return f"{draw(st.sampled_from(['ngày ', 'Ngày ']))}{dd} tháng {word}", same_year, iso
    if kind == "weekday_day_month":  # `thứ Sáu ngày 14/7`, `thứ Sáu, 14-7`: the year of `published`
        name = draw(st.sampled_from([WEEKDAYS, WEEKDAY_DIGITS]))[day.weekday()]
        joiner = draw(st.sampled_from([" ngày ", ", ngày ", ", "]))
        return f"{name}{joiner}{dd}{draw(st.sampled_from('/-'))}{mm}", same_year, iso
    if kind == "relative_day_then_date":  # `hôm nay, 8-5,`, `sáng nay (9/5)`: the written day wins
        word = draw(st.sampled_from(["hôm nay", "sáng nay", "chiều qua", "hôm qua", "tối nay"]))
        joiner = draw(st.sampled_from([", ", " (", " "]))
        closer = ")" if joiner == " (" else ","
        return f"{word}{joiner}{dd}{draw(st.sampled_from('/-'))}{mm}{closer}", same_year, iso
    if kind == "weekday":
        name = draw(st.sampled_from([WEEKDAYS, WEEKDAY_DIGITS]))[day.weekday()]
        joiner = draw(st.sampled_from([" ngày ", ", ngày ", ", ", " "]))
        return f"{name}{joiner}{dd}/{mm}/{y}", published, iso
    if kind == "short_year":  # the century is the one that puts the year near the article's
        article_year = draw(st.integers(min_value=y - 10, max_value=y + 89))
        published = datetime.date(article_year, 6, 15)
        sep = draw(st.sampled_from("/-"))
        return f"{lead}{dd}{sep}{mm}{sep}{y % 100:02d}", published, iso
    if kind == "day_month":  # no year: the year of `published`
        part = draw(st.sampled_from(DAY_PARTS))
        sep = draw(st.sampled_from("/-."))
        form = f"{part} {dd}{sep}{mm}" if not lead else f"{lead}{dd}{sep if sep != '.' else '/'}{mm}"
        return form, same_year, iso
    if kind == "month":
        word = MONTHS[m - 1]
        written = draw(st.sampled_from([word, word.lower() if word != "Năm" else word, str(m)]))
        sep = draw(st.sampled_from(["/", ".", "-", " năm "]))  # `tháng 11.2016` too
        form = f"tháng {written}{sep}{y}" if written.isdigit() else f"tháng {written} năm {y}"
        return form, published, month
    if kind == "relative_day":
        word, offset = draw(st.sampled_from([("hôm nay", 0), ("sáng nay", 0), ("chiều nay", 0), ("hôm qua", -1),
                                             ("chiều qua", -1), ("tối hôm qua", -1), ("ngày mai", 1),
                                             ("hôm kia", -2)]))
        return word, day - datetime.timedelta(days=offset), iso
    if kind == "relative_weekday":
        gap = draw(st.integers(min_value=1, max_value=7))
        name = draw(st.sampled_from([WEEKDAYS, WEEKDAY_DIGITS]))[day.weekday()]
        past = draw(st.sampled_from(["{} vừa qua", "hôm {}", None]))
        if past:  # `thứ Hai vừa qua`, `hôm thứ Sáu`: the nearest one before the article's day
            return past.format(name), day + datetime.timedelta(days=gap), iso
        return f"{name} tới", day - datetime.timedelta(days=gap), iso
    unit = draw(st.sampled_from(["tuần tới", "tuần trước", "tháng trước", "tháng tới", "năm ngoái", "năm nay",
                                 "năm tới"]))
    return unit, published, _expected_relative(unit, published)


def _expected_relative(unit: str, published: datetime.date) -> str:
    """The value the guide gives a relative unit, computed here from its definition."""
    if unit.startswith("tuần"):
        monday = published - datetime.timedelta(days=published.weekday())
        monday += datetime.timedelta(weeks=1 if unit.endswith("tới") else -1)
        return f"{monday.isoformat()}/{(monday + datetime.timedelta(days=6)).isoformat()}"
    if unit.startswith("tháng"):
        first = published.replace(day=1)
        other = (first + datetime.timedelta(days=32)) if unit.endswith("tới") else (first - datetime.timedelta(days=1))
        return f"{other.year:04d}-{other.month:02d}"
    return str(published.year + {"năm ngoái": -1, "năm nay": 0, "năm tới": 1}[unit])


def _written(text: str, how: str) -> str:
    if how == "nfd":
        return unicodedata.normalize("NFD", text)
    if how == "nbsp":
        return text.replace(" ", "\u00a0")
    return text


@settings(max_examples=400, deadline=None)
@given(written_dates(), st.sampled_from(["as_given", "nfd", "nbsp"]))
def test_every_written_form_reads_back_to_its_date(case, how):
    form, published, value = case
    prefix = "Hội nghị diễn ra "
    text = _written(f"{prefix}{form} tại Hà Nội.", how)
    form_start = len(_written(prefix, how))
    form_end = form_start + len(_written(form, how))
    ctx = default_pipeline().context(Document(id="t", text=text, published=published.isoformat()), until="dates")
    found = find_dates(ctx)
    assert [s.norm["value"] for s in found] == [value], (text, [ctx.text[s.start:s.end] for s in found])
    start, end = ctx.clean.to_original(found[0].start, found[0].end)
    assert form_start <= start < end <= form_end


def _unpublished_value(form: str, value: str) -> tuple[str | None, bool]:
    """(value, relative) a form must give when the article's `published` is unknown: a relative form
    none; a two-digit year the century near the year of extraction (guide: DATE); a day or month
    written without its year `--MM-DD` / `--MM`; a form with its year, its value."""
    if not re.search(r"\d[/.-]\d|\d tháng|\d{4}", form):  # `hôm nay`, `thứ 7 tới`, `tháng trước`
        return None, True
    if re.search(r"\d{4}", form):
        return value, False
    if re.search(r"\d[/.-]\d{1,2}[/.-]\d\d$", form):
        this_year = datetime.date.today().year
        year = this_year - this_year % 100 + int(value[2:4])
        year -= 100 if year > this_year + 10 else 0
        return f"{year:04d}{value[4:]}", False
    return "--" + value[5:], False


@settings(max_examples=300, deadline=None)
@given(written_dates(), st.sampled_from(["as_given", "nfd", "nbsp"]))
def test_without_published_relative_forms_stay_unresolved_and_days_keep_no_year(case, how):
    form, _, value = case
    text = _written(f"Hội nghị diễn ra {form} tại Hà Nội.", how)
    ctx = default_pipeline().context(Document(id="t", text=text), until="dates")
    found = find_dates(ctx)
    expected, relative = _unpublished_value(form, value)
    assert [s.norm["value"] for s in found] == [expected], (text, [ctx.text[s.start:s.end] for s in found])
    assert bool(found[0].norm.get("relative")) == relative, text


@st.composite
def event_days(draw):
    """(form, published, value): a day-level form the events linker must read as the event's day."""
    form, published, value = draw(written_dates())
    if len(value) != 10 or form in ("ngày mai",) or form.endswith(" tới"):
        form, published, value = f"ngày {draw(days).strftime('%d/%m/%Y')}", published, None
        value = datetime.datetime.strptime(form[5:], "%d/%m/%Y").date().isoformat()
    return form, published, value


@settings(max_examples=150, deadline=None)
@given(event_days(), st.booleans(), st.sampled_from(["as_given", "nfd", "nbsp"]))
def test_the_event_takes_the_day_written_as_its_time_whatever_else_the_sentence_dates(case, anniversary, how):
    from vnfacts.extractor.pipeline import extract

    form, published, value = case
    before = "Hướng tới kỷ niệm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2017), " if anniversary else ""
    sentence = f"{before}{form[0].upper() + form[1:] if not before else form}, Sở Lao động - Thương binh và Xã hội " \
               f"tổ chức hội nghị sơ kết tại Hà Nội."
    events = extract(Document(id="t", text=_written(sentence, how), published=published.isoformat())).events
    assert [(e.type, e.date) for e in events] == [("so_ket", value)], sentence
