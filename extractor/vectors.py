"""Subword vectors trained here on a raw corpus (floret), for the ORG/LOC model's tok2vec layer.

    prepare_corpus(["../shared/corpus/baomoi-all.jsonl.gz"], "vectors-corpus.txt")
    train_vectors("vectors-corpus.txt", "models/vectors")

The corpus file holds one sentence per line, its tokens cut by the project's spaCy tokenizer and
joined by single spaces, on the canonical text (one Unicode form, one tone placement): the vectors
then cover exactly the tokens the model sees. floret hashes every word and its character n-grams
into a fixed number of rows, so the table stays small (``bucket`` x ``dim``) and a word never seen
in training (a misspelling, a name) still gets a vector from its n-grams. spaCy's ``init vectors
--mode floret`` turns the table into a vectors folder that a training config names.

floret has no seed parameter; with one thread a run repeats exactly. Everything is written with a ``vectors.json`` record (corpus hash, settings, counts,
timings), so a run can be repeated and compared. floret is an optional dependency (the ``train``
extra): only building vectors needs it, never extraction.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .clean import clean_text
from .inputs import read_documents
from .pipeline import DocumentError
from .sentences import split_sentences


class VectorsError(Exception):
    """Vectors cannot be built (floret missing, empty corpus, unreadable input)."""


@dataclass(frozen=True)
class FloretSettings:
    """floret's training settings (spaCy's recommended floret mode, a smaller table)."""
    dim: int = 100
    bucket: int = 50_000
    minn: int = 3
    maxn: int = 5
    hash_count: int = 2
    epoch: int = 5
    min_count: int = 5
    model: str = "cbow"
    threads: int = 1  # floret takes no seed: one thread is what makes a run repeat exactly


def corpus_lines(inputs: Iterable[str | Path], errors: list[DocumentError]) -> Iterable[str]:
    """Tokenized sentences of every readable document of ``inputs``; unreadable ones go to ``errors``."""
    from .ner_model import blank_nlp

    tokenizer = blank_nlp([]).tokenizer
    for item in read_documents(inputs):
        if isinstance(item, DocumentError):
            errors.append(item)
            continue
        text = clean_text(item.text).text
        for start, end in split_sentences(text):
            tokens = [t.text for t in tokenizer(text[start:end]) if not t.is_space]
            if tokens:
                yield " ".join(tokens)


def prepare_corpus(inputs: Iterable[str | Path], out: str | Path,
                   log: Callable[[str], None] = lambda _: None) -> dict[str, int | str]:
    """Write the tokenized corpus to ``out``; return its counts and SHA-256."""
    errors: list[DocumentError] = []
    digest, lines, tokens = hashlib.sha256(), 0, 0
    with open(out, "w", encoding="utf-8") as f:
        for line in corpus_lines(inputs, errors):
            f.write(line + "\n")
            digest.update(line.encode("utf-8") + b"\n")
            lines += 1
            tokens += line.count(" ") + 1
            if lines % 100_000 == 0:
                log(f"{lines:,} sentences, {tokens:,} tokens")
    for error in errors:
        log(f"skipped: {error}")
    if not lines:
        raise VectorsError("the corpus holds no readable sentence")
    return {"sentences": lines, "tokens": tokens, "sha256": digest.hexdigest(), "skipped_documents": len(errors)}


def train_vectors(corpus_txt: str | Path, out_dir: str | Path, settings: FloretSettings = FloretSettings(),
                  corpus_info: dict | None = None, log: Callable[[str], None] = lambda _: None) -> dict:
    """Train floret on ``corpus_txt`` and write a spaCy vectors folder to ``out_dir``."""
    try:
        import floret
    except ImportError:
        raise VectorsError("floret is not installed: `pip install 'vnfacts[train]'` (or `make vectors`)") from None
    from spacy.training.initialize import convert_vectors

    from .ner_model import blank_nlp

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    s = settings
    model = floret.train_unsupervised(str(corpus_txt), model=s.model, mode="floret", hashCount=s.hash_count,
                                      bucket=s.bucket, minn=s.minn, maxn=s.maxn, dim=s.dim, epoch=s.epoch,
                                      minCount=s.min_count, thread=s.threads, verbose=0)
    trained = time.time()
    log(f"floret trained in {trained - started:.0f} s ({len(model.words):,} words seen)")
    table = out_dir / "vectors.floret"
    model.save_floret_vectors(str(table))
    nlp = blank_nlp([])
    nlp.remove_pipe("ner")
    convert_vectors(nlp, table, truncate=0, prune=-1, mode="floret")
    nlp.to_disk(out_dir)
    table.unlink()  # the spaCy folder holds the same table in binary form
    record = {"settings": asdict(s), "corpus": corpus_info or {}, "words_seen": len(model.words),
              "train_seconds": round(trained - started, 1), "total_seconds": round(time.time() - started, 1)}
    (out_dir / "vectors.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return record
