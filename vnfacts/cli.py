"""The `vnfacts` command. Each sub-command lives in its own module under ``vnfacts/commands``,
imported only when it runs (so `vnfacts cite` never pays for spaCy or Scrapy), and each is a thin
shell over a public Python function of the same name."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from vnfacts.extractor.resources import MissingDataError

# name -> (module, one-line help). Order is the order of `vnfacts --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("vnfacts.commands.extract", "extract facts from articles (JSONL, .txt, folders, stdin)"),
    "evaluate": ("vnfacts.commands.evaluate", "score extracted facts against gold annotations"),
    "cite": ("vnfacts.commands.cite", "the canonical id(s) a written citation may mean"),
    "annotate": ("vnfacts.commands.annotate", "the annotation loop with Label Studio (config, export, import, push, pull, check, serve)"),
    "crawl": ("vnfacts.commands.crawl", "fetch a site into a page store (site profile or --start URL); resumable"),
    "articles": ("vnfacts.commands.articles", "the articles of a page store as JSONL (id, url, title, published, text)"),
    "load": ("vnfacts.commands.load", "extract articles (or take `vnfacts extract` output) and store them with their facts in SQLite"),
    "search": ("vnfacts.commands.search", "articles and events citing a document (any written form), or words"),
    "serve": ("vnfacts.commands.serve", "publish the database with Datasette (read-only, 127.0.0.1)"),
    "vectors": ("vnfacts.commands.vectors", "train floret subword vectors on a raw corpus (for the ORG/LOC model)"),
    "train": ("vnfacts.commands.train", "train the ORG/LOC model from annotations/ into models/"),
    "demo": ("vnfacts.commands.demo", "run the whole job on the bundled corpus"),
}


def main(argv: list[str] | None = None) -> int:
    from vnfacts import __version__

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="vnfacts", description="Structured facts from Vietnamese social-affairs news.")
    parser.add_argument("--version", action="version", version=f"vnfacts {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = argv[0] if argv else None
    parsers = {}
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        parsers[name] = p
        if name == chosen:
            importlib.import_module(module).add_arguments(p)
    args, unknown = parser.parse_known_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if unknown:  # argparse would show the top-level usage: show the sub-command's instead
        parsers[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(importlib.import_module(args._module).run(args) or 0)
    except KeyboardInterrupt:
        print("vnfacts: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MissingDataError as err:  # user data (a corpus, a split, a model) not where it was looked for
        print(f"vnfacts {args.command}: error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug or a broken install: say so in one line, traceback on demand
        if os.environ.get("VNFACTS_DEBUG"):
            raise
        print(f"vnfacts {args.command}: internal error: {type(err).__name__}: {err}\n"
              f"(set VNFACTS_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
