"""How the model's names and the rules' are combined (extractor/ner_model.py), on real contexts of the
shipped pipeline with the model's predictions given, so each rule of the combination is seen alone."""
from __future__ import annotations

from vnfacts.extractor import ner_model
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import Pipeline
from vnfacts.extractor.resources import load_data

TEXT = "Sáng 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức trận giao hữu giữa tuyển Việt Nam và Trấn Thành tại Hà Nội."


def context(predicted: list[tuple[str, str]], ran: bool = True, text: str = TEXT):
    """The shipped pipeline's context before the combination, with the model's predictions replaced by
    ``predicted`` ((span text, label), each found in ``text``, at its last mention)."""
    pipeline = Pipeline.from_config(load_data("pipeline.yaml"))
    ctx = pipeline.context(Document("t", text), until="prefer_model_names")
    ctx.model_predictions = [(ctx.text.rindex(t), ctx.text.rindex(t) + len(t), label, "model:spacy") for t, label in predicted]
    if not ran:
        ctx.memo.clear()
    return ctx


def names(ctx, spans) -> set[tuple[str, str, str]]:
    return {(ctx.text[s.start:s.end], s.label, "model" if s.source.startswith("model") else "rules") for s in spans}


def test_a_model_org_takes_the_place_of_the_rule_spans_it_overlaps():
    ctx = context([("tuyển Việt Nam", "ORG"), ("Hà Nội", "LOC"), ("Trấn Thành", "LOC")])
    before = names(ctx, ctx.spans)
    assert ("Việt Nam", "LOC", "rules") in before
    after = names(ctx, ner_model.prefer_model_names(list(ctx.spans), ctx))
    assert ("tuyển Việt Nam", "ORG", "model") in after and ("Việt Nam", "LOC", "rules") not in after
    assert ("Hà Nội", "LOC", "rules") in after   # a model LOC over a rule LOC: the rules' span and norm stand
    assert ("Sở Y tế tỉnh Nghệ An", "ORG", "rules") in after and ("5/6/2023", "DATE", "rules") in after


def test_the_rules_names_stand_where_the_model_names_the_same_or_nothing():
    ctx = context([("Sở Y tế tỉnh Nghệ An", "ORG")])
    after = names(ctx, ner_model.prefer_model_names(list(ctx.spans), ctx))
    # a place the model does not name stays (setting such places aside was tried: +0.007 LOC F1 on
    # the dev part, and the seed documents lost venues and a main event's province)
    assert {n for n in after if n[1] == "LOC"} == {n for n in names(ctx, ctx.spans) if n[1] == "LOC"} != set()
    assert ("Sở Y tế tỉnh Nghệ An", "ORG", "rules") in after   # the same name as the rules': theirs stands


def test_a_model_name_never_cuts_another_label_and_a_document_it_did_not_read_keeps_the_rules():
    ctx = context([("5/6/2023, Sở Y tế", "ORG"), ("Hà Nội", "LOC"), ("Việt Nam", "LOC")])
    assert names(ctx, ner_model.prefer_model_names(list(ctx.spans), ctx)) == names(ctx, ctx.spans)
    unread = context([], ran=False)
    assert ner_model.prefer_model_names(list(unread.spans), unread) == unread.spans


def test_the_guide_filter_compares_stop_words_with_their_diacritics_and_refuses_bare_abbreviations():
    assert not ner_model._named_as_the_guide_says("CTXH") and not ner_model._named_as_the_guide_says("LĐ-TB&XH")
    assert ner_model._named_as_the_guide_says("Trường Đại học CTXH")
    # words of a kind of person, not bodies: `người sử dụng lao động`, `đại biểu nhân dân`; a bare head
    assert not any(map(ner_model._named_as_the_guide_says, ("NSDLĐ", "ĐBND", "CBCCVC", "Tổng Công ty", "Bệnh viện")))
    assert ner_model._named_as_the_guide_says("tỉnh Quảng Nam")   # `Nam` is not the stop word `năm`
    assert ner_model._named_as_the_guide_says("Việt Nam")
    assert not ner_model._named_as_the_guide_says("Hội Nông dân tại")
    assert not ner_model._named_as_the_guide_says("Sở Y tế đã")
    assert not ner_model._named_as_the_guide_says("So Y te da")   # without diacritics: folded words


def test_a_capitalised_syllable_of_a_name_is_no_stop_word():
    # `Bà`, `Năm`, `Anh`, `Thường`, `Lai` (folded `lại`) are stop words in lower case only
    for name in ("ấp Đồng Bà Ba", "Lầu Năm Góc", "Cảnh sát Anh", "đường Lý Thường Kiệt", "Gia Lai", "U20 Nam Phi"):
        assert ner_model._named_as_the_guide_says(name), name
    assert not ner_model._named_as_the_guide_says("Công an tỉnh Gia Lai đã")
    assert not ner_model._named_as_the_guide_says("Cong an Gia Lai da")
    assert not ner_model._named_as_the_guide_says("SỞ Y TẾ ĐÃ")   # in capitals the case tells nothing


def test_inside_a_rule_span_or_stretched_back_over_lower_case_words_the_rules_reading_stands():
    ctx = context([("Sở Y tế", "ORG"), ("giữa tuyển Việt Nam", "ORG")])
    assert names(ctx, ner_model.prefer_model_names(list(ctx.spans), ctx)) == names(ctx, ctx.spans)


def test_an_office_goes_on_with_its_place_after_tai():
    # the guide: a country office includes its place; `tại` before anything else still ends a name
    assert ner_model._named_as_the_guide_says("Đại sứ quán Việt Nam tại Qatar")
    assert ner_model._named_as_the_guide_says("Tòa án nhân dân cấp cao tại Hà Nội")
    assert not ner_model._named_as_the_guide_says("Hội Nông dân tại hội trường")
    assert not ner_model._named_as_the_guide_says("Hội Nông dân tại")


def test_a_model_name_opened_by_a_head_in_lower_case_takes_the_place_after_it():
    text = "Chiều 11/1, hội nông dân xã Thanh Xuân đã làm việc với phòng đào tạo Trường Đại học Ngoại thương."
    pipeline = Pipeline.from_config(load_data("pipeline.yaml"))
    ctx = pipeline.context(Document("t", text), until="prefer_model_names")
    ctx.memo[ner_model._RAN] = True
    ctx.model_predictions = [(ctx.text.index(t), ctx.text.index(t) + len(t), "ORG", "model:spacy")
                             for t in ("hội nông dân xã Thanh Xuân", "phòng đào tạo Trường Đại học Ngoại thương")]
    before, after = names(ctx, ctx.spans), names(ctx, ner_model.prefer_model_names(list(ctx.spans), ctx))
    assert ("xã Thanh Xuân", "LOC", "rules") in before   # (no rule head in lower case: `Hội`)
    assert ("hội nông dân xã Thanh Xuân", "ORG", "model") in after and ("xã Thanh Xuân", "LOC", "rules") not in after
    # stretched back over a lower-case head before another body: two bodies, the rules' reading stands
    assert ("Trường Đại học Ngoại thương", "ORG", "rules") in after


def test_a_model_name_listed_among_names_no_span_holds_is_a_person():
    from vnfacts.extractor.models import Span

    text = "Đội hình Real Madrid: Navas, Carvajal, Ramos, Kroos, Casemiro, Modric. Đoàn đến từ Lào, Tuvalu, Fiji."

    def span(name, source):
        return Span(text.index(name), text.index(name) + len(name), "LOC", {}, source)

    spans = [span("Casemiro", "model:spacy"), span("Lào", "gazetteer"), span("Tuvalu", "model:spacy"),
             span("Fiji", "model:spacy")]
    kept = {text[sp.start:sp.end] for sp in ner_model._not_among_other_names(text, spans)}
    assert kept == {"Lào", "Tuvalu", "Fiji"}   # `Kroos, Casemiro, Modric`: a line-up; the places' neighbours are found
    # the shipped pipeline, model included, on the same text
    pipeline = Pipeline.from_config(load_data("pipeline.yaml"))
    facts = pipeline.extract(Document("t", text)).to_json()
    assert "Casemiro" not in {e["text"] for e in facts["entities"]}


def test_two_bodies_joined_by_a_dash_are_two_names():
    text = "Ông Tiến, Cục Công nghệ tin học - Ngân hàng Nhà nước và Bộ Lao động - Thương binh và Xã hội cho biết."
    whole = [(text.index(n), text.index(n) + len(n), "ORG") for n in
             ("Cục Công nghệ tin học - Ngân hàng Nhà nước", "Bộ Lao động - Thương binh và Xã hội")]
    assert [text[s:e] for s, e, _ in ner_model._split_at_dashed_bodies(text, whole)] == [
        "Cục Công nghệ tin học", "Ngân hàng Nhà nước", "Bộ Lao động - Thương binh và Xã hội"]


def test_a_number_before_a_capitalised_word_is_part_of_the_name_the_model_finds():
    text = "Tối 24-5, tại Đội Công binh 83 Kiến Tạo, các em nhận 200 suất quà."   # (no head or place of the rules)
    pipeline = Pipeline.from_config(load_data("pipeline.yaml"))
    ctx = pipeline.context(Document("t", text), until="ner_model")
    assert "83 Kiến Tạo" in {ctx.text[f.start:f.end] for f in ctx.figures}   # the figures rule reads a unit
    name = "Đội Công binh 83 Kiến Tạo"
    ctx.model_predictions = [(text.index(name), text.index(name) + len(name), "ORG", "model:spacy"),
                             (text.index("200 suất"), text.index("200 suất") + 8, "ORG", "model:spacy")]
    assert {ctx.text[s.start:s.end] for s in ner_model.join_entities(ctx)} == {name}   # `200 suất` stays a figure
    assert ner_model._unit_capitalised("83 Hải quân") and not ner_model._unit_capitalised("5 USD")
    assert not ner_model._unit_capitalised("200 suất")


def test_a_one_syllable_name_that_opens_a_word_is_that_word():
    # the model reads a capitalised syllable opening a sentence as a name; the shipped word list says
    # `Ý kiến`, `Pháp luật`, `Nam giới` are words (also folded, and across a no-break space)
    for text in ("Ý kiến của chuyên gia", "Pháp luật quy định rõ", "Nam giới chiếm 40%", "Y kien cua chuyen gia",
                 "Ý\u00a0kiến của chuyên gia"):
        first = len(text.replace("\u00a0", " ").split(" ")[0])
        assert ner_model._opens_a_word(text, 0, first), text
    # a country followed by what makes no word with it, or by punctuation, or a longer name, stays
    for text, name in (("Đoàn sang Pháp làm việc", "Pháp"), ("Hàng xuất sang Ý, Đức", "Ý"),
                       ("Bộ trưởng Nga nói", "Nga"), ("Ý giành chiến thắng", "Ý")):
        start = text.index(name)
        assert not ner_model._opens_a_word(text, start, start + len(name)), text
    assert not ner_model._opens_a_word("Hàn Quốc kiến nghị", 0, len("Hàn Quốc"))  # two syllables


def test_a_model_name_that_ends_inside_a_word_is_no_name():
    # the model cut the phrase inside a word (`trực thuộc`, `bất thường`)
    for text, name in (("VNPT-Net - Tổng công ty trực thuộc Tập đoàn VNPT", "Tổng công ty trực"),
                       ("trong cuộc họp Đại hội đồng cổ đông bất thường ngày 24/4", "Đại hội đồng cổ đông bất"),
                       ("là Bệnh viện Đa khoa chuyên sâu trực thuộc Bộ Y tế", "Bệnh viện Đa khoa chuyên sâu trực")):
        start = text.index(name)
        assert ner_model._ends_inside_a_word(text, start, start + len(name)), name
    # a name whose last syllable closes a word, or is followed by a verb or a capital, stands
    for text, name in (("Sở Y tế tổ chức hội nghị", "Sở Y tế"), ("Bộ Công Thương nói rõ", "Bộ Công Thương"),
                       ("Ban Quản lý dự án Đường sắt cho biết", "Ban Quản lý dự án"),
                       ("Trung tâm Hỗ trợ pháp lý Hà Nội", "Trung tâm Hỗ trợ pháp lý")):
        start = text.index(name)
        assert not ner_model._ends_inside_a_word(text, start, start + len(name)), name


def test_a_term_defined_in_brackets_and_a_common_noun_abbreviation_are_no_body(monkeypatch):
    text = ("Các hệ thống khác dựa trên mạng nơ-ron tái phát (RNN), còn Facebook chọn RNN khác. "
            "Tổ chức Y tế thế giới (WHO) cảnh báo. Hàng NK tăng mạnh, BST mới ra mắt.")
    assert ner_model._bracketed_terms(text) == {"RNN"}   # WHO's name has capitals: a body
    # a name opening with a capital holds `các`, `về`, `và` among its lower-case words; a term is read
    # back to a verb or preposition
    assert ner_model._bracketed_terms(
        "Mạng lưới các viện đào tạo hợp tác (PTIN) và Đối tác chính sách về khoa học công nghệ sáng tạo "
        "(PPSTI) họp. Cơ quan phát triển quốc phòng (ADD) cho biết; chỉ số giá tiêu dùng (CPI) tăng, "
        "giáo dục chống xâm hại tình dục (XHTD), mạng nơ-ron (CNN).") == {"CPI", "XHTD"}
    ctx = Pipeline.from_config(load_data("pipeline.yaml")).context(Document("t", text), until="figures")
    names = ("Facebook", "WHO", "NK", "BST")
    rnn = text.index("RNN khác")
    raw = [(rnn, rnn + 3, "ORG")] + [(text.index(n), text.index(n) + len(n), "ORG") for n in names]
    monkeypatch.setattr(ner_model, "predict", lambda text, sentences, config: raw)
    kept = ner_model.predict_entities(ctx, backend="spacy", path="models/orgloc", labels=["ORG"])
    assert [text[s:e] for s, e, _, _ in kept] == list(names)   # the term's repeat is dropped
    # common-noun abbreviations alone are refused by the guide filter; bodies are not
    assert not ner_model._named_as_the_guide_says("NK") and not ner_model._named_as_the_guide_says("BST")
    assert ner_model._named_as_the_guide_says("WHO") and ner_model._named_as_the_guide_says("Facebook")


def test_a_model_place_that_is_a_persons_name_in_the_article_or_in_its_byline_is_no_place():
    text = ("Người mẫu Kim Tiên chia sẻ trên trang cá nhân. Trước đó, Kim Tiên đã lên tiếng. Chồng cô làm "
            "việc ở mỏ Millenium gần Fort McMurray, Canada. Bà Nga cho biết như vậy. Hải An")
    pipeline = Pipeline.from_config(load_data("pipeline.yaml"))
    ctx = pipeline.context(Document("t", text, "2017-05-01"), until="ner_model")
    second = text.index("Kim Tiên", text.index("Kim Tiên") + 1)   # written alone: one sense per article
    predicted = [(second, second + 8), (text.index("Fort McMurray"), text.index("Fort McMurray") + 13),
                 (text.index("Nga"), text.index("Nga") + 3), (text.index("Hải An"), len(text))]
    ctx.model_predictions = [(s, e, "LOC", "model:spacy") for s, e in predicted]
    found = {ctx.text[s.start:s.end] for s in ner_model.join_entities(ctx)}
    # `Nga` is a country, yet `bà` right before it makes it a person; `Hải An` signs the article
    assert found == {"Fort McMurray"}


def test_a_model_place_in_a_line_up_of_names_the_rules_read_as_no_places_is_a_person():
    from vnfacts.extractor.models import Span

    text = "Đội hình: Văn Quyết, Hùng Dũng, Thành Lương, Quang Hải. Hàng xuất sang Nhật, Anh, Đức, Mỹ và Lào."

    def span(name, source):
        return Span(text.index(name), text.index(name) + len(name), "LOC", {}, source)
    # the model reads two players and four countries; the rules read `Lào` only (the others need a cue)
    spans = [span(t, "model:spacy") for t in ("Hùng Dũng", "Thành Lương", "Nhật", "Anh", "Đức", "Mỹ")]
    spans.append(span("Lào", "gazetteer"))
    kept = {text[s.start:s.end] for s in ner_model._not_among_other_names(text, spans)}
    # each player is listed between names the rules do not read as places (the other model span does
    # not vouch for it); a country stays among other countries
    assert kept == {"Nhật", "Anh", "Đức", "Mỹ", "Lào"}


def test_a_name_the_article_gives_a_person_is_no_model_org_but_a_club_after_its_player_is():
    text = ("Nhà thiết kế Công Trí gửi váy cho em gái Kylie. Hôm qua, Kylie mặc chiếc váy ở New York. "
            "Cầu thủ Swansea thắng; Swansea lên thứ 15.")
    ctx = context([("Kylie", "ORG"), ("Swansea", "ORG")], text=text)
    joined = names(ctx, ner_model.join_entities(ctx))
    assert ("Swansea", "ORG", "model") in joined and not any(n[0] == "Kylie" for n in joined)


def test_no_model_name_inside_the_title_of_a_work():
    text = "Bài hát nổi tiếng nhờ phim “Mùa thu ở Matxcơva” của Mosfilm, quay tại Matxcơva năm 1981."
    ctx = context([("Mùa thu", "ORG"), ("Mosfilm", "ORG")], text=text)
    in_title = text.index("Matxcơva")
    ctx.model_predictions.append((in_title, in_title + len("Matxcơva"), "LOC", "model:spacy"))
    joined = {(ctx.text[s.start:s.end], s.start) for s in ner_model.join_entities(ctx)}
    assert ("Mosfilm", text.index("Mosfilm")) in joined
    assert ("Mùa thu", text.index("Mùa thu")) not in joined and ("Matxcơva", in_title) not in joined


def test_a_model_name_opened_by_a_head_the_next_word_makes_no_body_is_none():
    # the rules' not_after_head, for the model: a press fair, a code of law, an event, a venue
    refused = ("Hội báo Xuân", "Bộ luật Lao động", "Hội nghị Trung ương 5", "Trung tâm Hội nghị Quốc gia Mỹ Đình",
               "HỘI NGHỊ BAN CHẤP HÀNH", "hoi nghi Trung uong")
    assert not any(map(ner_model._named_as_the_guide_says, refused))
    # a longer head is read first, as the rules read it; a capitalised single word is the writer's name
    kept = ("Hội đồng kỷ luật", "Bộ đội Biên phòng tỉnh Quảng Trị", "đoàn Thể thao Việt Nam", "Hội Nông dân")
    assert all(map(ner_model._named_as_the_guide_says, kept))


def test_a_name_the_article_gives_a_product_is_no_model_org_wherever_it_is_written():
    # made up: a model after its word and its maker (`dòng xe`, `của Yamaha`), a service after `thuê bao`,
    # each written alone later; a maker's version of a thing stays the maker (`Phiên bản Dacia của chiếc`)
    text = ("Dòng xe mới Aerox của Yamaha ra mắt tại Jakarta. Giá của Aerox là 30 triệu đồng. "
            "Nhà mạng Viettel mở rộng thuê bao VoLTE từ tháng 6, VoLTE chạy trên mạng 4G. "
            "Phiên bản Dacia của chiếc Logan bán chạy, Dacia lãi lớn.")
    ctx = context([("Yamaha", "ORG"), ("Dacia", "ORG")], text=text)
    for name in ("Aerox", "VoLTE", "Dacia"):
        at = text.index(name)
        ctx.model_predictions.append((at, at + len(name), "ORG", "model:spacy"))
    for name in ("Aerox", "VoLTE"):
        at = text.rindex(name)
        ctx.model_predictions.append((at, at + len(name), "ORG", "model:spacy"))
    joined = {(ctx.text[s.start:s.end], s.start) for s in ner_model.join_entities(ctx) if s.label == "ORG"}
    assert ("Yamaha", text.index("Yamaha")) in joined
    assert {("Dacia", text.index("Dacia")), ("Dacia", text.rindex("Dacia"))} <= joined
    assert not any(name in ("Aerox", "VoLTE") for name, _ in joined)
