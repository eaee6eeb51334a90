"""`listlens`: a thin command line over `index.library.Library`.

Heavy libraries (torch, chromadb, gradio) are imported inside the commands that need them, so
`listlens --help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="data directory (LISTLENS_DATA_DIR)")
    parser.add_argument("--collection", help="Chroma collection (LISTLENS_COLLECTION)")
    parser.add_argument("--chroma-url", help="Chroma server URL (LISTLENS_CHROMA_URL)")
    parser.add_argument("--preset", choices=["default", "fast", "thorough"],
                        help="named settings preset (LISTLENS_PRESET)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="listlens",
        description="Ask questions about sanctions and export-control documents; "
                    "every answer cites the passages it rests on.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add files, folders (recursively), web pages or RSS/Atom feeds")
    p.add_argument("paths", nargs="+", help="files, folders, or http(s) URLs of pages or feeds")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--max-file-mb", type=float, help="largest file accepted (LISTLENS_MAX_FILE_MB)")
    _common(p)

    p = sub.add_parser("ask", help="ask a question; the answer cites its sources")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--top-k", type=int, help="passages to retrieve (LISTLENS_TOP_K)")
    p.add_argument("--backend", choices=["extractive", "local", "openai"],
                   help="who writes the answer (LISTLENS_BACKEND)")
    p.add_argument("--since", help="only documents published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="only documents published on or before this date")
    p.add_argument("--type", dest="doc_type", help="only this document type (fr_rule, news, list…)")
    p.add_argument("--source", help="only documents whose path or URL contains this")
    p.add_argument("--country", help="only passages about this country")
    _common(p)

    p = sub.add_parser("docs", help="list the documents in the library")
    p.add_argument("--json", action="store_true", help="print the catalog entries as JSON")
    _common(p)

    p = sub.add_parser("remove", help="remove a document (by id or path)")
    p.add_argument("doc", help="a document id (from `listlens docs`) or the path it was ingested from")
    _common(p)

    p = sub.add_parser("status", help="where the store is and what it holds")
    _common(p)

    p = sub.add_parser("config", help="list every LISTLENS_* setting: meaning, default, value, origin")
    _common(p)

    p = sub.add_parser("summarize", help="summarize documents: headline, entity table, cited narrative")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--doc", action="append", help="a document id, path or URL (repeatable)")
    which.add_argument("--since", help="documents published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="documents published on or before this date (with --since)")
    _summary_options(p)

    p = sub.add_parser("new", help="list documents published or ingested since a date, and summarize them")
    p.add_argument("--since", required=True, help="YYYY-MM-DD")
    _summary_options(p)

    p = sub.add_parser("serve", help="serve the web UI")
    p.add_argument("--host", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default 7860; LISTLENS_PORT)")
    p.add_argument("--auth", help="user:password required to use the UI")
    p.add_argument("--insecure", action="store_true",
                   help="allow binding a non-loopback address without --auth")
    p.add_argument("--sample", action="store_true",
                   help="ingest the bundled sample corpus first (skipped if unchanged)")
    _common(p)

    p = sub.add_parser("eval", help="score the library against a gold question set")
    p.add_argument("--gold", type=Path, required=True, help="gold set (JSONL)")
    p.add_argument("--corpus", type=Path, required=True,
                   help="folder of documents the gold set is about (indexed in its own collection)")
    p.add_argument("--out", type=Path, default=Path("eval-out"),
                   help="where predictions.jsonl, metrics.json, report.md, chart.png go")
    p.add_argument("--backend", choices=["extractive", "local", "openai"],
                   help="answer backend (LISTLENS_BACKEND)")
    p.add_argument("--compare", default="listlens",
                   help="configurations side by side, e.g. listlens,naive or listlens:top_k=12")
    _common(p)

    p = sub.add_parser("bench", help="measure ingest, query latency at scale, LLM, startup; write JSON")
    p.add_argument("--json", type=Path, dest="json_out", help="write every figure here as JSON")
    p.add_argument("--scale", default=None,
                   help="synthetic library sizes for query latency (default 10k,100k,1m)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: the sample corpus, tiny scales, few questions")
    p.add_argument("--work-dir", type=Path, help="where the bench keeps its stores (default: a temp dir)")
    p.add_argument("--build-budget", type=float, default=1200,
                   help="seconds allowed to build each synthetic scale (default 1200)")
    p.add_argument("--only", help="comma-separated parts: ingest,naive,scale,llm,serve,help")
    # The bench builds its own stores (and its own Chroma server for the largest scale), so it
    # takes no collection or server; --data-dir says where the local LLM's joined model file is.
    p.add_argument("--data-dir", type=Path, help="data directory (LISTLENS_DATA_DIR)")
    return parser


def _summary_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="only documents whose path or URL contains this")
    p.add_argument("--backend", choices=["extractive", "local", "openai"],
                   help="who writes the narrative (LISTLENS_BACKEND)")
    p.add_argument("--format", choices=["md", "json", "csv"], default="md")
    _common(p)


def _settings(args: argparse.Namespace):
    from listlens.app.settings import load_settings

    keys = ("data_dir", "collection", "chroma_url", "preset", "top_k", "max_file_mb", "host",
            "port", "auth", "backend")
    return load_settings({k: getattr(args, k, None) for k in keys})


def _library(args: argparse.Namespace):
    from listlens.index.library import Library

    return Library(_settings(args).index)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_ingest(args: argparse.Namespace) -> int:
    from listlens.ingest.feeds import is_url

    urls = [p for p in args.paths if is_url(p)]
    args.paths = [Path(p) for p in args.paths if not is_url(p)]
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    library = _library(args)

    def progress(source: str, done: int, total: int) -> None:
        if sys.stderr.isatty() and not args.json:
            name = Path(source).name[:40]
            print(f"\r  {name:<40} {done:>7,}/{total:,} nodes", end="", file=sys.stderr, flush=True)

    report = library.ingest(args.paths, progress=progress) if args.paths else None
    for url in urls:  # one report for the whole command, files and URLs alike
        got = library.ingest_url(url, progress=progress)
        if report is None:
            report = got
            continue
        for key in ("files", "added", "replaced", "unchanged", "nodes", "seconds"):
            setattr(report, key, getattr(report, key) + getattr(got, key))
        report.failures += got.failures
    if sys.stderr.isatty() and not args.json:
        print(file=sys.stderr)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(f"{report.files} files: {report.added} documents added, {report.replaced} replaced, "
              f"{report.unchanged} unchanged; {report.nodes:,} nodes written in {report.seconds:.1f} s")
        for file, reason in report.failures:
            print(f"  FAILED {file}: {reason}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_ask(args: argparse.Namespace) -> int:
    from listlens.index.types import Filters

    filters = Filters(date_from=args.since, date_to=args.until, doc_type=args.doc_type,
                      source=args.source, country=args.country)
    stream = None
    if not args.json and sys.stdout.isatty():
        stream = lambda piece: print(piece, end="", flush=True)  # noqa: E731 — show tokens as they come
    answer = _library(args).ask(args.question, filters=filters, on_token=stream)
    if stream:
        print("\n")
    if args.json:
        data = answer.to_dict()
        data["citations"] = [{"file": c["file"], "title": c["title"], "published": c["published"],
                              "start": c["start"], "end": c["end"], "text": c["text"]}
                             for c in data["citations"]]
        _print_json(data)
        return EXIT_OK
    print(answer.text)
    if answer.citations:
        print()
        for c in answer.citations:
            print(f"[{c.n}] {c.reference}\n    “{' '.join(c.text.split())}”")
    if answer.notice:
        print(f"\nnote: {answer.notice}")
    return EXIT_OK


def _print_summary(summary, fmt: str) -> None:
    if fmt == "json":
        _print_json(summary.to_dict())
    elif fmt == "csv":
        print(summary.to_csv(), end="")
    else:
        print(summary.to_markdown())
        print(f"({summary.backend}, {summary.latency_s:.1f} s)", file=sys.stderr)


def cmd_summarize(args: argparse.Namespace) -> int:
    summary = _library(args).summarize(doc_ids=args.doc, since=args.since, until=args.until,
                                       source=args.source, backend=args.backend)
    _print_summary(summary, args.format)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    library = _library(args)
    docs = [d for d in library.new_since(args.since)
            if not args.source or args.source in str(d.get("source", ""))]
    if not docs:
        print(f"Nothing published or ingested since {args.since}.", file=sys.stderr)
        return EXIT_OK
    if args.format == "md":
        print(f"# {len(docs)} document(s) new since {args.since}\n")
        for d in docs:
            print(f"- {d.get('published') or '----------'}  {d.get('title', '')}  ({d.get('source', '')}; "
                  f"ingested {str(d.get('ingested_at', ''))[:10]})")
        print()
    summary = library.summarize(doc_ids=[d["doc_id"] for d in docs], backend=args.backend)
    _print_summary(summary, args.format)
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    docs = _library(args).documents()
    if args.json:
        _print_json(docs)
        return EXIT_OK
    if not docs:
        print("The library is empty: `listlens ingest PATH` adds documents.")
    for d in docs:
        print(f"{d['doc_id']}  {d.get('published') or '----------'}  {d.get('doc_type', ''):<12} "
              f"{d.get('nodes', 0):>6} nodes  {d.get('title', '')[:70]}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    removed = _library(args).remove(args.doc)
    print(f"removed {removed['doc_id']} ({removed.get('title', '')})")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    _print_json(_library(args).status())
    return EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    from listlens.app.settings import describe

    keys = ("data_dir", "collection", "chroma_url", "preset")
    for row in describe({k: getattr(args, k, None) for k in keys}):
        print(f"{row['variable']} = {row['value']}   [{row['from']}; default {row['default']}]\n"
              f"    {row['description']}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from listlens.app.ui import serve

    settings = _settings(args)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not (settings.auth or args.insecure):
        print(f"error: binding {settings.host} exposes the UI to the network; "
              "pass --auth USER:PASSWORD (or --insecure to accept the risk)", file=sys.stderr)
        return EXIT_USAGE
    serve(settings, ingest_sample=args.sample)
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from listlens.evals.bench import main as bench, parse_scales

    settings = _settings(args)
    bench(args.json_out, parse_scales(args.scale) if args.scale else None, args.quick, args.work_dir,
          model_cache=settings.index.data_dir / "models", build_budget_s=args.build_budget,
          parts=set(args.only.split(",")) if args.only else None)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    import dataclasses

    from listlens.evals.runner import run_eval

    for path in (args.gold, args.corpus):
        if not path.exists():
            print(f"error: no such file or folder: {path}", file=sys.stderr)
            return EXIT_USAGE
    config = _settings(args).index
    if args.backend:
        config = dataclasses.replace(config, backend=args.backend)
    metrics = run_eval(args.gold, args.corpus, args.out, config, args.compare)
    for label in metrics["configs"]:
        overall = metrics["results"][label]["overall"]
        print(f"{label}: answer accuracy {overall['answer_accuracy']}, refusal accuracy "
              f"{overall['refusal_accuracy']}, false answers {overall['false_answer_rate']}, "
              f"citation support {overall['citation_support']}")
    print(f"wrote {args.out}/predictions.jsonl, metrics.json, report.md, chart.png")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "docs": cmd_docs, "remove": cmd_remove,
            "status": cmd_status, "config": cmd_config, "serve": cmd_serve,
            "eval": cmd_eval, "bench": cmd_bench, "summarize": cmd_summarize, "new": cmd_new}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TQDM_DISABLE", "1")  # library progress bars would garble our output
    args = build_parser().parse_args(argv)
    from listlens.index.errors import ListLensError

    try:
        return COMMANDS[args.command](args)
    except ListLensError as exc:  # a problem with the input or the setup, explained in one line
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `listlens docs | head`: the reader has all it wanted
        sys.stderr.close()
        return EXIT_OK
    except Exception:  # anything else is a bug: show it whole
        import traceback

        traceback.print_exc()
        print("\nThis is a bug in ListLens, not a problem with your input. Please report it with "
              "the traceback above.", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
