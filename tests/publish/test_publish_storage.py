"""What storage promises (README, "Reliability"): every fact's province has its row, a document
that cannot be stored costs only itself, schema creation survives a kill, concurrent writers wait
for each other, derived tables agree with the facts after any kill, foreign files are left alone,
duplicate ids are reported."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from vnfacts.publish.load import load_documents


def write_jsonl(path: Path, documents: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    return path


class Lines:
    """An ``errors`` stream for the loader that keeps what it was told."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, s): self.parts.append(s)
    def flush(self): pass
    def isatty(self): return False

    @property
    def text(self) -> str:
        return "".join(self.parts)


# An article from before Thừa Thiên Huế was renamed Huế (1 January 2025): the extractor names the
# province as it was then.
HUE_2024 = {"id": "hue-2024", "published": "2024-03-05", "title": "Thừa Thiên Huế triển khai Đề án 06",
            "text": "Ngày 5/3/2024, UBND tỉnh Thừa Thiên Huế tổ chức hội nghị triển khai Đề án 06 tại thành phố "
                    "Huế. Tỉnh Thừa Thiên Huế đặt mục tiêu hoàn thành trong năm 2024."}


def test_every_province_a_fact_names_has_its_row(tmp_path, corpus_db):
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    load_documents(path, [write_jsonl(tmp_path / "hue.jsonl", [HUE_2024])])
    conn = sqlite3.connect(path)
    try:
        named = {r[0] for r in conn.execute("SELECT province FROM mentions WHERE article_id = 'hue-2024'")}
        assert "Thừa Thiên Huế" in named, "the old name is what this test is about"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        row = conn.execute("SELECT province_today, is_current FROM provinces WHERE name = 'Thừa Thiên Huế'").fetchone()
        assert row == ("Huế", 0)
    finally:
        conn.close()
