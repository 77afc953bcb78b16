"""`vnfacts annotate config|export|import|push|pull|serve`: the annotation loop with Label Studio.

    vnfacts annotate config [-o config.xml]
    vnfacts annotate export INPUT... [--annotations GOLD.jsonl] -o tasks.json
    vnfacts annotate import EXPORT.json [-o annotations/labelstudio.jsonl]
    vnfacts annotate push INPUT... --url URL --token TOKEN [--project ID]
    vnfacts annotate pull --url URL --token TOKEN --project ID [-o annotations/labelstudio.jsonl]
    vnfacts annotate serve [--port 8080]
    vnfacts annotate check ANNOTATIONS.jsonl...
    vnfacts annotate sample CORPUS... --per-section N -o sample.jsonl

`import`, `pull` and `check` exit with 1 when the input has problems (each named with its task or
line; an import then writes nothing), 2 on a usage error or an unreachable server.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="annotations/labelstudio.jsonl",
                   help="guide-format JSONL to add the annotations to (default: annotations/labelstudio.jsonl)")
    p.add_argument("--annotations-dir", default=None,
                   help="folder of existing annotations checked for conflicts (default: the output's folder)")
    p.add_argument("--articles", nargs="*", default=None, metavar="JSONL",
                   help="article files the task texts must match (default: corpus/articles.jsonl)")
    p.add_argument("--annotator", help="import only this person's annotations (e-mail) where several annotated a task")
    p.add_argument("--replace", action="store_true",
                   help="let a re-imported document replace its earlier version in the output file")
    p.add_argument("--skip-conflicts", action="store_true",
                   help="write the documents without conflicts, report the others (default: write nothing)")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=os.environ.get("LABEL_STUDIO_URL", "http://127.0.0.1:8080"),
                   help="Label Studio's address (default: $LABEL_STUDIO_URL or http://127.0.0.1:8080)")
    p.add_argument("--token", default=os.environ.get("LABEL_STUDIO_API_KEY") or os.environ.get("LABEL_STUDIO_USER_TOKEN"),
                   help="API token (default: $LABEL_STUDIO_API_KEY, else the token `vnfacts annotate serve` starts with)")


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="documents to pre-annotate: JSONL of {id, text, published?}, .txt files or folders")
    p.add_argument("--annotations", metavar="GOLD.jsonl",
                   help="guide-format annotations to include as completed annotations (without INPUT: their documents)")
    p.add_argument("--no-predictions", action="store_true", help="do not run the extractor")
    p.add_argument("--model-version", help="the predictions' model_version (default: vnfacts version + data hash)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    c = sub.add_parser("config", help="the Label Studio labelling config generated from the guide's labels")
    c.add_argument("-o", "--output", help="write the XML here (default: stdout)")

    e = sub.add_parser("export", help="Label Studio tasks with the extractor's output as predictions")
    _export_options(e)
    e.add_argument("-o", "--output", required=True, help="the tasks JSON file to write")

    i = sub.add_parser("import", help="read a Label Studio JSON export into annotations/",
                       description="Read a Label Studio JSON export into annotations/. Exit code 1 when the "
                                   "export has problems (each named with its task; nothing is written).")
    i.add_argument("export", metavar="EXPORT.json")
    _import_options(i)

    pu = sub.add_parser("push", help="create a project and send tasks to a running Label Studio")
    _export_options(pu)
    _server_options(pu)
    pu.add_argument("--project", type=int, help="add to this project instead of creating one")
    pu.add_argument("--title", default="vnfacts facts", help="title of the new project")

    pl = sub.add_parser("pull", help="export a project from a running Label Studio and import it")
    _server_options(pl)
    pl.add_argument("--project", type=int, required=True)
    pl.add_argument("--save-export", metavar="FILE", help="also keep Label Studio's raw export here")
    _import_options(pl)

    sm = sub.add_parser("sample", help="documents to annotate next, stratified by section, none annotated yet",
                        description="Write a seeded sample of documents to annotate: up to N per section (read "
                                    "from cue words, sections.yaml), of a readable length, none already in the "
                                    "annotations folder. Each line carries the proposed `section`.")
    sm.add_argument("inputs", nargs="+", metavar="CORPUS", help="JSONL (or .jsonl.gz) articles")
    sm.add_argument("--per-section", type=int, required=True, metavar="N")
    sm.add_argument("--sections", help="comma-separated section codes (default: all)")
    sm.add_argument("--seed", type=int, default=0)
    sm.add_argument("--min-chars", type=int, default=700)
    sm.add_argument("--max-chars", type=int, default=3500)
    sm.add_argument("--annotations-dir", default="annotations", help="documents annotated here are skipped")
    sm.add_argument("-o", "--output", required=True, help="the JSONL file to write")

    k = sub.add_parser("check", help="validate guide-format annotation files (offsets, overlaps, labels, norm fields)")
    k.add_argument("files", nargs="+", metavar="ANNOTATIONS.jsonl")

    s = sub.add_parser("serve", help="start a local Label Studio for an annotator (from .venv-labelstudio)")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--data-dir", default=".labelstudio", help="where Label Studio keeps its database (default: .labelstudio)")
    p.set_defaults(_parser=p)


def _fail(message: str) -> int:
    print(f"vnfacts annotate: error: {message}", file=sys.stderr)
    return 2


def _report(outcome) -> int:
    for line in outcome.lines():
        print(line, file=sys.stderr)
    return 0 if outcome.ok else 1


def _import_kwargs(args) -> dict:
    from vnfacts.annotation.loop import DEFAULT_ARTICLES

    output = Path(args.output)
    return {"output": output, "annotations_dir": Path(args.annotations_dir) if args.annotations_dir else output.parent,
            "articles": args.articles if args.articles is not None else [DEFAULT_ARTICLES],
            "annotator": args.annotator, "replace": args.replace, "skip_conflicts": args.skip_conflicts,
            "dry_run": args.dry_run}


def _tasks(args):
    from vnfacts.annotation.loop import build_tasks

    if not args.inputs and not args.annotations:
        raise ValueError("give INPUT documents and/or --annotations GOLD.jsonl")
    if args.annotations and not Path(args.annotations).exists():
        raise ValueError(f"no such file: {args.annotations}")
    tasks, errors = build_tasks(args.inputs, args.annotations, predict=not args.no_predictions,
                                model_version=args.model_version)
    for error in errors:
        print(f"vnfacts annotate: error: {error}", file=sys.stderr)
    return tasks, errors


def _sample(args) -> int:
    from collections import Counter

    from vnfacts.annotation.sample import annotated_ids, sample_for_annotation

    exclude = annotated_ids(args.annotations_dir) if Path(args.annotations_dir).is_dir() else set()
    sections = args.sections.split(",") if args.sections else None
    chosen, errors = sample_for_annotation(args.inputs, args.per_section, seed=args.seed, min_chars=args.min_chars,
                                           max_chars=args.max_chars, exclude=exclude, sections=sections)
    for error in errors:
        print(f"vnfacts annotate: error: {error}", file=sys.stderr)
    with open(args.output, "w", encoding="utf-8") as out:
        for sampled in chosen:
            out.write(json.dumps(sampled.record(), ensure_ascii=False) + "\n")
    counts = Counter(s.section for s in chosen)
    print(f"{len(chosen)} documents to {args.output}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
          file=sys.stderr)
    return 1 if errors else 0


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "action", None)
    if not action:
        args._parser.print_help()
        return 2
    from vnfacts.annotation.client import LabelStudioError

    try:
        if action == "sample":
            return _sample(args)
        if action == "config":
            from vnfacts.annotation.labelstudio import labelling_config

            xml = labelling_config()
            if args.output:
                Path(args.output).write_text(xml, encoding="utf-8")
            else:
                sys.stdout.write(xml)
            return 0
        if action == "export":
            tasks, errors = _tasks(args)
            Path(args.output).write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"{len(tasks)} tasks written to {args.output}", file=sys.stderr)
            return 1 if errors else 0
        if action == "import":
            from vnfacts.annotation.loop import import_file

            return _report(import_file(args.export, **_import_kwargs(args)))
        if action in ("push", "pull"):
            from vnfacts.annotation.client import LabelStudio
            from vnfacts.annotation import loop

            from vnfacts.annotation.server import DEFAULT_TOKEN

            client = LabelStudio(args.url, args.token or DEFAULT_TOKEN)
            if action == "push":
                tasks, errors = _tasks(args)
                project, count = loop.push(client, tasks, args.project, args.title)
                print(f"{count} tasks sent to project {project}: {args.url}/projects/{project}/data", file=sys.stderr)
                return 1 if errors else 0
            return _report(loop.pull(client, args.project, save_export=args.save_export, **_import_kwargs(args)))
        if action == "serve":
            return _serve(args)
        if action == "check":
            return _check(args.files)
    except (ValueError, LabelStudioError) as err:
        return _fail(str(err))
    return _fail(f"unknown action {action}")


def _check(files: list[str]) -> int:
    from vnfacts.annotation.schema import check_document, id_name
    from vnfacts.annotation.store import read_jsonl

    bad = 0
    for name in files:
        try:
            docs = read_jsonl(Path(name))
        except (OSError, ValueError) as err:
            print(f"problem: {name}: {err}", file=sys.stderr)
            bad += 1
            continue
        except RecursionError:  # a line of lists nested thousands deep
            print(f"problem: {name}: a line nests lists or objects too deeply to read", file=sys.stderr)
            bad += 1
            continue
        problems = [p for n, doc in enumerate(docs, 1) for p in check_document(doc, f"{name}:{n} (doc {id_name(doc.get('id'))})")]
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        spans = sum(len(d["entities"]) for d in docs if isinstance(d.get("entities"), list))
        print(f"{name}: {len(docs)} documents, {spans} spans, {len(problems)} problems", file=sys.stderr)
        bad += len(problems)
    return 1 if bad else 0


def _serve(args) -> int:
    from vnfacts.annotation import server

    try:
        cmd = server.command(args.port, Path(args.data_dir).resolve())
    except server.ServerError as err:
        return _fail(str(err))
    env = server.server_environment(os.environ.get("LABEL_STUDIO_USERNAME", server.DEFAULT_USER),
                                    os.environ.get("LABEL_STUDIO_PASSWORD", server.DEFAULT_PASSWORD),
                                    os.environ.get("LABEL_STUDIO_USER_TOKEN", server.DEFAULT_TOKEN),
                                    Path(args.data_dir).resolve())
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    print(f"Label Studio on http://127.0.0.1:{args.port} (first start takes ~40 s)\n"
          f"  log in as {env['LABEL_STUDIO_USERNAME']} / {env['LABEL_STUDIO_PASSWORD']}\n"
          f"  API token {env['LABEL_STUDIO_USER_TOKEN']}: vnfacts annotate push INPUT --url http://127.0.0.1:{args.port} "
          f"--token {env['LABEL_STUDIO_USER_TOKEN']}\n  stop with Ctrl-C", file=sys.stderr)
    os.execve(cmd[0], cmd, env)  # Label Studio takes over this process: Ctrl-C stops it
