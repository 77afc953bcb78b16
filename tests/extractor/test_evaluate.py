"""The scorer on small hand-made cases, where every figure can be checked by hand."""
from vnfacts.extractor.evaluate import evaluate, match_spans


def ent(start, end, label, **norm):
    return {"start": start, "end": end, "label": label, "text": "x" * (end - start), "norm": norm}


def test_greedy_one_to_one_matching_prefers_largest_overlap():
    gold = [ent(0, 10, "ORG"), ent(12, 20, "ORG")]
    pred = [ent(5, 15, "ORG"), ent(0, 9, "ORG"), ent(0, 10, "LOC")]
    assert sorted(match_spans(gold, pred)) == [(0, 1), (1, 0)]


def test_scores():
    gold = [{"id": "d", "text": "t" * 100, "entities": [
        ent(0, 10, "LEGAL_REF", id="1438/QĐ-TTg"), ent(20, 30, "DATE", value="2022-12-22"),
        ent(40, 50, "FIGURE", value=12289, unit="trẻ em"), ent(60, 70, "ORG", name="A")],
        "events": [{"type": "tap_huan", "date": "2022-12-22", "province": "Nghệ An"}]}]
    pred = [{"id": "d", "entities": [
        ent(0, 10, "LEGAL_REF", id="1438/QĐ-TTg"),          # exact, norm right
        ent(20, 28, "DATE", value="2022-12-21"),            # overlap, norm wrong
        ent(40, 50, "FIGURE", value=12289.0, unit="trẻ"),   # norm right: value and first word of unit
        ent(80, 90, "ORG", name="B")],                      # false alarm; gold ORG missed
        "events": [{"type": "tap_huan", "date": "2022-12-22", "province": None}]}]
    r = evaluate(gold, pred)
    assert r["labels"]["LEGAL_REF"]["exact"]["f1"] == 1.0
    assert r["labels"]["DATE"]["overlap"]["f1"] == 1.0 and r["labels"]["DATE"]["norm"]["f1"] == 0.0
    assert r["labels"]["FIGURE"]["norm"]["f1"] == 1.0
    assert r["labels"]["ORG"]["overlap"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert r["legal_ids"]["f1"] == 1.0
    assert r["main_event"]["type"]["correct"] == 1 and r["main_event"]["province"]["correct"] == 0
    assert r["macro_norm_f1"] == round((1 + 0 + 1 + 0) / 4, 4)
    kinds = sorted(e["kind"] for e in r["errors"])
    assert kinds == ["false_alarm", "miss", "wrong_norm"]


def test_a_figure_unit_is_compared_by_its_first_word_not_by_what_a_blank_ends():
    from vnfacts.extractor.evaluate import norm_correct

    gold = {"norm": {"value": 63, "unit": "tỉnh, thành phố", "qualifier": None, "of": None}}
    for unit in ("tỉnh", "tỉnh/thành phố", "Tỉnh thành"):
        assert norm_correct("FIGURE", gold, {"norm": {**gold["norm"], "unit": unit}})
    assert not norm_correct("FIGURE", gold, {"norm": {**gold["norm"], "unit": "thành phố"}})
