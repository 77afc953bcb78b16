"""Countries and foreign cities (extractor/data/world.yaml + pycountry): the data file is checked,
every spelling keeps its source, and the one-syllable translations that are everyday words stay out."""
import unicodedata
from pathlib import Path

import pycountry
import yaml

from vnfacts.extractor.world import PYCOUNTRY_EN, PYCOUNTRY_VI, world_places

REPO = Path(__file__).resolve().parents[2]
DATA = yaml.safe_load((REPO / "extractor" / "data" / "world.yaml").read_text(encoding="utf-8"))


def test_data_file_codes_are_iso_3166_and_names_are_nfc_and_unique():
    codes = {c.alpha_2 for c in pycountry.countries}
    seen = set()
    for part in ("countries", "cities"):
        for name, code in DATA[part].items():
            assert code in codes, (name, code)
            assert name == unicodedata.normalize("NFC", name) == name.strip(), name
            assert name.lower() not in seen, f"{name} listed twice"
            seen.add(name.lower())
    assert DATA["source_of_this_file"]


def test_every_spelling_keeps_its_source_and_the_file_wins():
    places = world_places()
    by_name = {p.name: p for p in places}
    assert by_name["Italia"].country == "IT" and by_name["Italia"].source == DATA["source_of_this_file"]
    assert by_name["Seoul"].kind == "city" and by_name["Seoul"].country == "KR"
    assert by_name["Kenya"].source in (PYCOUNTRY_EN, DATA["source_of_this_file"])
    assert any(p.source == PYCOUNTRY_EN for p in places) and any(p.source == PYCOUNTRY_VI for p in places)
    assert by_name["Bra-xin"].source == PYCOUNTRY_VI and by_name["Bra-xin"].country == "BR"
    assert len({p.name.lower() for p in places}) == len(places)  # the first source of a spelling wins
    # `Korea, Republic of` is no one's spelling; `Ý`, `Nhật`, `Síp` are everyday words
    assert not any("," in p.name or "(" in p.name for p in places)
    assert not {"Ý", "Nhật", "Síp", "Ao", "Nam Dương"} & {p.name for p in places if p.source == PYCOUNTRY_VI}


def test_places_abroad_are_found_as_the_press_writes_them():
    from vnfacts.extractor.models import Document
    from vnfacts.extractor.pipeline import default_pipeline

    text = ("Ý kiến của chuyên gia: đoàn đại biểu đã sang Kenya, rồi tới thủ đô Seoul của Hàn Quốc. "
            "Văn bản gửi Bra-xin và Italia. Tác giả: Nam Dương")
    facts = default_pipeline().extract(Document("w", text)).to_json()["entities"]
    places = {e["text"]: e["norm"]["province"] for e in facts if e["label"] == "LOC"}
    assert {"Kenya", "thủ đô Seoul", "Hàn Quốc", "Bra-xin", "Italia"} <= set(places)  # a capital abroad: whole
    assert not {"Ý", "Nam Dương"} & set(places) and set(places.values()) == {None}
