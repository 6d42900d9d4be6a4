"""Benchmark of the extraction pipeline (kg extract): sentences per second per core.

The corpus is made of the seed documents' sentences, shuffled and replicated into many files
(paragraphs of a few sentences). The whole pipeline is timed: reading, reducing, the spaCy
blank pipeline and the rules, rendering the YAML and writing the files, with one worker
process per core. Throughput per core is sentences per CPU-second of the run (parent and
workers), which stays meaningful when other work shares the machine; the wall-clock rate is
printed too. Peak memory is measured for two corpus sizes to show that it stays flat
(documents are streamed: no worker or parent holds more than one document's results). The floor
is spaCy's blank English tokenizer and sentencizer alone on the same files, in one process, in
the same run: the pipeline's rate is reported as a fraction of it.

    python benchmarks/extract_speed.py [--files 300] [--sentences 250] [--jobs N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def seed_sentences() -> list[str]:
    """Every sentence-like line of the seed documents (single-spaced)."""
    out = []
    for txt in sorted(SEEDS.glob("*.txt")):
        for para in re.split(r"\n\s*\n", txt.read_text(encoding="utf-8")):
            flat = " ".join(para.split())
            out += [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", flat) if len(s.split()) >= 4]
    return out


def make_corpus(folder: Path, files: int, per_file: int, seed: int = 7) -> int:
    """Write ``files`` documents of ``per_file`` shuffled seed sentences; returns the sentence count."""
    rng = random.Random(seed)
    pool = seed_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(files):
        sents = [rng.choice(pool) for _ in range(per_file)]
        paras = [" ".join(sents[i:i + 5]) for i in range(0, len(sents), 5)]
        (folder / f"bench_{n:05d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        total += per_file
    return total


def run(files: int, per_file: int, jobs: int) -> dict:
    """Time one extraction run in a fresh process (so peak memory is its own)."""
    code = f"""
import json, resource, sys, time
from pathlib import Path
from kg.extract import extract_files
from kg.gazetteer import Gazetteer
sys.path.insert(0, {str(Path(__file__).parent)!r})
from extract_speed import make_corpus
import tempfile
with tempfile.TemporaryDirectory() as tmp:
    corpus = Path(tmp) / "corpus"
    make_corpus(corpus, {files}, {per_file})
    paths = sorted(corpus.glob("*.txt"))
    def cpu():
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    c0, t0 = cpu(), time.perf_counter()
    summary = extract_files(paths, Path(tmp) / "out", seeds=Path({str(SEEDS)!r}), jobs={jobs})
    wall, cpu_s = time.perf_counter() - t0, cpu() - c0
    outputs = len(list((Path(tmp) / "out").glob("*.yaml")))
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"files": {files}, "jobs": {jobs}, "wall_s": wall, "cpu_s": cpu_s,
                  "sentences": summary.counts.get("sentences", 0), "outputs": outputs,
                  "peak_rss_parent_mb": self_kb / 1024, "peak_rss_worker_mb": child_kb / 1024}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["sentences_per_s"] = res["sentences"] / res["wall_s"]
    res["sentences_per_s_per_core"] = res["sentences_per_s"] / max(1, jobs)
    res["sentences_per_cpu_s"] = res["sentences"] / res["cpu_s"]
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        res["load_average_1min"] = float((fh.read().split() or ["nan"])[0])
    return res


FLOOR = """
import json, resource, spacy, sys, tempfile
from pathlib import Path
sys.path.insert(0, {here!r})
from extract_speed import make_corpus
with tempfile.TemporaryDirectory() as tmp:
    make_corpus(Path(tmp), {files}, {per_file})
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    texts = (p.read_text(encoding="utf-8") for p in sorted(Path(tmp).glob("*.txt")))
    n = sum(sum(1 for _ in doc.sents) for doc in nlp.pipe(texts))
    r1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"sentences": n, "cpu_s": r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime}}))
"""


def floor(files: int, per_file: int) -> dict:
    """spaCy's blank tokenizer + sentencizer alone on the same corpus: sentences per CPU-second."""
    code = FLOOR.format(here=str(Path(__file__).parent), files=files, per_file=per_file)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["sentences_per_cpu_s"] = res["sentences"] / res["cpu_s"]
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=300, help="documents in the large corpus")
    ap.add_argument("--sentences", type=int, default=250, help="sentences per document")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    results = {
        "cores": os.cpu_count(),
        "one_core": run(max(4, args.files // 6), args.sentences, 1),
        "all_cores": run(args.files, args.sentences, args.jobs),
        "all_cores_half_corpus": run(max(1, args.files // 2), args.sentences, args.jobs),
        "spacy_floor": floor(max(4, args.files // 6), args.sentences),
    }
    for name in ("one_core", "all_cores", "all_cores_half_corpus"):
        r = results[name]
        print(f"{name:>22}: {r['files']:>5} files, {r['sentences']:>7} sentences, {r['jobs']} job(s), "
              f"{r['wall_s']:6.1f} s, {r['sentences_per_s']:8.0f} sentences/s, "
              f"{r['sentences_per_s_per_core']:6.0f} per core (wall), {r['sentences_per_cpu_s']:6.0f} per CPU-second, "
              f"peak RSS parent {r['peak_rss_parent_mb']:.0f} MB / worker {r['peak_rss_worker_mb']:.0f} MB, "
              f"load {r['load_average_1min']:.1f}")
    fl = results["spacy_floor"]
    print(f"{'spacy_floor':>22}: {fl['sentences']:>7} sentences (its own splitting), "
          f"{fl['sentences_per_cpu_s']:8.0f} per CPU-second; the pipeline on one core is "
          f"{results['one_core']['sentences_per_cpu_s'] / fl['sentences_per_cpu_s']:.1%} of it")
    # per core = per second of CPU the pipeline used (robust when other work shares the cores)
    runs = ("one_core", "all_cores", "all_cores_half_corpus")
    ok = all(results[n]["sentences_per_cpu_s"] >= 1000 for n in runs)
    print("target >= 1,000 sentences/s per core:", "met" if ok else "NOT met")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
