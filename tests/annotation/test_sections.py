"""The section reader (sections.yaml) and the stratified annotation sample, on real corpus files."""
import json
import unicodedata
from pathlib import Path

import pytest
import yaml

from vnfacts.annotation.sample import annotated_ids, sample_for_annotation
from vnfacts.annotation.sections import OTHER, read_section, section_names, sections
from vnfacts.extractor.clean import canonical

REPO = Path(__file__).resolve().parents[2]
SOCIAL = REPO.parent / "shared" / "corpus" / "baomoi-social.jsonl"


def test_data_file_cues_are_canonical_and_each_speaks_for_one_section():
    raw = yaml.safe_load((REPO / "vnfacts" / "annotation" / "sections.yaml").read_text("utf-8"))
    owners: dict[str, str] = {}
    for code, spec in raw["sections"].items():
        assert spec["name"] and spec["cues"], code
        for cue in spec["cues"]:
            assert cue == unicodedata.normalize("NFC", cue) == canonical(cue), (code, cue)
            assert cue == cue.lower().strip() and cue, (code, cue)
            key = canonical(cue).lower()
            assert key not in owners, f"cue {cue!r} is in {owners.get(key)} and {code}: it would decide nothing"
            owners[key] = code
    assert OTHER not in raw["sections"]


@pytest.mark.parametrize("title, expected", [
    ("Đội tuyển U23 Việt Nam thắng 2-0, HLV nói gì sau trận đấu", "the_thao"),
    ("Giá vàng hôm nay tăng mạnh, cổ phiếu ngân hàng đồng loạt giảm", "kinh_te"),
    ("Khởi tố nghi phạm lừa đảo chiếm đoạt tài sản", "phap_luat"),
    ("Tổng thống Nga Putin điện đàm với lãnh đạo Triều Tiên", "the_gioi"),
    ("Bộ GD-ĐT công bố điểm chuẩn, thí sinh cần biết", "giao_duc"),
    ("Bệnh viện cứu sống bệnh nhi mắc ung thư", "suc_khoe"),
    ("Trao quà cho hộ nghèo và người khuyết tật dịp Tết", "xa_hoi"),
    ("Ca sĩ trẻ ra mắt MV mới, khán giả nói gì", "van_hoa"),
    ("Apple ra mắt iPhone mới với trí tuệ nhân tạo", "khoa_hoc"),
])
def test_titles_read_as_their_section(title, expected):
    assert read_section(title, title + "\n").code == expected


def test_written_forms_read_alike_and_no_cue_is_no_guess():
    nfc = "Trao quà cho người khuyết tật"
    nfd = unicodedata.normalize("NFD", nfc)
    old_tones = "Trao qùa cho người khuyết tật"  # old tone placement
    assert {read_section(t, "").code for t in (nfc, nfd, old_tones)} == {"xa_hoi"}
    assert read_section("Một buổi chiều", "Trời trong xanh.") == read_section(None, "")
    assert read_section(None, "").code == OTHER and OTHER in section_names()


def test_title_weighs_more_than_the_lead():
    lead = "Bệnh viện tỉnh cho biết bệnh nhân đã ổn định."
    assert read_section("Cầu thủ đội tuyển bóng đá gặp nạn", lead).code == "the_thao"
    assert read_section(None, lead).code == "suc_khoe"


@pytest.mark.skipif(not SOCIAL.exists(), reason="../shared/corpus is missing")
def test_sample_is_stratified_seeded_and_skips_annotated_documents(tmp_path):
    chosen, errors = sample_for_annotation([SOCIAL], per_section=3, seed=7)
    assert not errors and chosen
    per_section: dict[str, int] = {}
    for s in chosen:
        per_section[s.section] = per_section.get(s.section, 0) + 1
        assert 700 <= len(s.document.text) <= 3500
    assert max(per_section.values()) == 3 and len(per_section) >= 5
    again, _ = sample_for_annotation([SOCIAL], per_section=3, seed=7)
    assert [s.document.id for s in again] == [s.document.id for s in chosen]
    bigger, _ = sample_for_annotation([SOCIAL], per_section=4, seed=7)
    assert {s.document.id for s in chosen} <= {s.document.id for s in bigger}  # growing only adds

    folder = tmp_path / "annotations"
    folder.mkdir()
    (folder / "done.jsonl").write_text(json.dumps({"id": chosen[0].document.id, "text": "x", "entities": []}) + "\n")
    (folder / "event-sentences").mkdir()   # annotated sentences name their document as `doc`
    (folder / "event-sentences" / "s.jsonl").write_text(json.dumps({"doc": chosen[1].document.id, "start": 0}) + "\n")
    exclude = annotated_ids(folder)
    assert exclude == {chosen[0].document.id, chosen[1].document.id}
    after, _ = sample_for_annotation([SOCIAL], per_section=3, seed=7, exclude=exclude)
    assert not {chosen[0].document.id, chosen[1].document.id} & {s.document.id for s in after}
    assert set(sections()[0].cues)  # the data file was read


def test_sample_reads_gzip_and_names_a_broken_file(tmp_path):
    import gzip
    good = tmp_path / "c.jsonl.gz"
    text = "Trao quà cho hộ nghèo. " * 40
    with gzip.open(good, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "title": "Trao quà cho hộ nghèo", "text": text}) + "\n")
    chosen, errors = sample_for_annotation([good], per_section=5)
    assert [s.document.id for s in chosen] == ["a"] and chosen[0].section == "xa_hoi" and not errors
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"not gzip at all")
    chosen, errors = sample_for_annotation([broken], per_section=5)
    assert not chosen and len(errors) == 1 and "broken.jsonl.gz" in str(errors[0])
