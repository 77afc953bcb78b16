"""Rebuild corpus/articles.jsonl: the articles bundled for the demo, the tests and annotation.

The five seed articles of ../shared/devset (gold-annotated) come first, then the articles of
../shared/corpus/baomoi-social.jsonl that mention the most social-affairs keywords (documents,
programmes, trainings, conferences), short enough to annotate by hand. Run from the repo root:

    python corpus/select_corpus.py ../shared
"""
import json
import re
import sys
from pathlib import Path

KEYWORDS = ["Quyết định", "Nghị quyết", "Đề án", "Chương trình", "Sở Lao động", "LĐ-TB", "tập huấn",
            "Hội nghị", "hội nghị", "sơ kết", "tổng kết", "Kế hoạch", "Nghị định", "Thông tư",
            "người cao tuổi", "khuyết tật", "trẻ em", "ký kết"]
HOW_MANY = 55
MAX_CHARS = 8000


def title_of(text: str) -> str:
    """The first line that reads as a title: not a dateline (`Thứ 3, Ngày 18/07/2023, 11:00`)."""
    for line in text.split("\n"):
        line = line.strip()
        if len(line.split()) >= 5 and not re.match(r"^(?:Thứ|Ngày|\d)", line):
            return line
    return text.strip().split("\n", 1)[0]


def original_url(path: str) -> str:
    """Where a reader finds the article's file in the source repository (its default branch)."""
    return f"https://github.com/magizbox/scraper/blob/HEAD/{path}"


def score(text: str) -> int:
    return sum(min(text.count(k), 5) for k in KEYWORDS)


def main(shared: Path, out: Path) -> None:
    rows = []
    for gold in map(json.loads, (shared / "devset" / "gold.jsonl").open(encoding="utf-8")):
        rows.append({"id": gold["id"], "title": title_of(gold["text"]),
                     "text": gold["text"], "published": gold.get("published"),
                     "source": "shared/devset (seed article, gold-annotated)",
                     "licence": "supplied to the project for development and tests"})
    pool = [json.loads(line) for line in (shared / "corpus" / "baomoi-social.jsonl").open(encoding="utf-8")]
    pool = [r for r in pool if len(r["text"]) <= MAX_CHARS]
    pool.sort(key=lambda r: (-score(r["text"]), r["id"]))
    for r in pool[:HOW_MANY]:
        path = r["source"].split(":", 1)[-1]
        rows.append({"id": r["id"], "title": r["title"], "text": r["text"], "published": r.get("published"),
                     "source": "Báo Mới via github.com/magizbox/scraper " + path,
                     "licence": "no licence stated by the source repository; bundled for research use",
                     "url": original_url(path)})
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"), Path(__file__).with_name("articles.jsonl"))
