"""Build scaling: ``kg build`` on corpora of 5, 50 and 500 documents, each stage timed, to find
what grows faster than the corpus.

A corpus of N documents is the seed corpus copied N/5 times: copy k renames each document
(``NNN_x-kK.txt``) and the things only that document declares (``id-kK``, label ``… (K)``);
things of ``catalogue.yaml`` stay shared, so later copies add sources to the same actors and
statements, as new articles about the same events do.

    python benchmarks/build_scale.py                  # 5, 50, 500 documents
    python benchmarks/build_scale.py --docs 5,25
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "build_scale.json"


def make_corpus(copies: int, out: Path) -> int:
    seeds = ROOT / "seeds"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeds / "catalogue.yaml", out / "catalogue.yaml")
    docs = 0
    for txt in sorted(seeds.glob("[0-9]*.txt")):
        text = txt.read_text(encoding="utf-8")
        curated = (seeds / f"{txt.stem}.yaml").read_text(encoding="utf-8")
        own = [t["id"] for t in (yaml.safe_load(curated).get("things") or [])]
        for k in range(copies):
            stem = txt.stem if k == 0 else f"{txt.stem}-k{k}"
            body = curated
            if k:
                for thing in own:
                    body = re.sub(rf"(?<![\w-]){re.escape(thing)}(?![\w-])", f"{thing}-k{k}", body)
                body = re.sub(r"(\n\s*-?\s*\{?\s*id: [^,\n]*-k%d,[^\n]*?label: )(\"?)([^\",}\n]+)" % k,
                              lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)} ({k})", body)
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            (out / f"{stem}.yaml").write_text(body, encoding="utf-8")
            docs += 1
    return docs


def timed_build(seeds: Path, out: Path) -> dict:
    from kg import build as _  # noqa: F401 - import cost outside the timings
    from kg.build import compile_corpus, serialize, validate
    from kg.files import staged_build, write_atomic
    from kg.pipeline import draw_views

    steps = {}
    start = time.perf_counter()
    result = compile_corpus(seeds)
    steps["compile_s"] = time.perf_counter() - start
    t = time.perf_counter()
    validate(result)
    steps["shacl_s"] = time.perf_counter() - t
    t = time.perf_counter()
    with staged_build(out) as stage:
        write_atomic(serialize(result), stage)
        steps["write_s"] = time.perf_counter() - t
        t = time.perf_counter()
        draw_views(stage, on_disk=False)
        steps["views_s"] = time.perf_counter() - t
    steps["total_s"] = time.perf_counter() - start
    steps["triples"] = len(result.dataset)
    steps["conforms"] = result.conforms
    return steps


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default="5,50,500", help="corpus sizes in documents (multiples of 5)")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-build-scale-") as tmp:
        for n in (int(x) for x in args.docs.split(",")):
            corpus = Path(tmp) / f"seeds-{n}"
            docs = make_corpus(max(1, n // 5), corpus)
            steps = {"documents": docs, **timed_build(corpus, Path(tmp) / f"build-{n}")}
            results.append(steps)
            print(json.dumps(steps), file=sys.stderr, flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    base = results[0]
    print("| documents | triples | compile | SHACL | write 4 formats | views | total | total / first |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['documents']} | {r['triples']:,} | {r['compile_s']:.1f} | {r['shacl_s']:.1f} | {r['write_s']:.1f} "
              f"| {r['views_s']:.1f} | {r['total_s']:.1f} | {r['total_s'] / base['total_s']:.1f}x |")


if __name__ == "__main__":
    main()
