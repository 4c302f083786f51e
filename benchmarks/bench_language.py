"""Compare language detectors on short news text, restricted to the languages outagetl reads.

Each detector runs in its own child process (so import time and peak memory are its own) over the
sentences of ``tests/data/lang/news.toml`` (40 per language, written for this project in the style
of each country's press), whole and cut to their first three words (first six characters in
Japanese and Chinese): a record is often that short (a headline, a table cell, a post).

    python benchmarks/bench_language.py [--python PY]...

``--python`` names an interpreter with the detector installed (repeatable; by default the current
one). A detector that is not installed is reported as such, not silently skipped.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path

SENTENCES = Path(__file__).resolve().parent.parent / "tests" / "data" / "lang" / "news.toml"
LANGS = ("en", "de", "fr", "es", "it", "pt", "ja", "zh")

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
name = sys.argv[1]
langs = sys.argv[2].split(",")
cases = json.loads(sys.stdin.read())
try:
    if name == "py3langid":
        import py3langid
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
        ident = load(MODEL_FILE, norm_probs=True)
        ident.set_languages(langs)
        def detect(text):
            return ident.classify(text)[0]
        version = getattr(py3langid, "__version__", "?")
    elif name.startswith("lingua"):
        import importlib.metadata
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
        codes = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in langs]
        builder = LanguageDetectorBuilder.from_languages(*codes)
        if name == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        det = builder.build()
        def detect(text):
            found = det.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None
        version = importlib.metadata.version("lingua-language-detector")
except ImportError as exc:
    print(json.dumps({"error": f"not installed ({exc})"}))
    sys.exit(0)
t1 = time.perf_counter()
detect("warm up the model")
t2 = time.perf_counter()
out = {}
for label, items in cases.items():
    ok, wrong = 0, []
    start = time.perf_counter()
    for lang, text in items:
        got = detect(text)
        if got == lang:
            ok += 1
        else:
            wrong.append([lang, got, text])
    out[label] = {"ok": ok, "n": len(items), "seconds": time.perf_counter() - start, "wrong": wrong}
print(json.dumps({"version": version, "import_s": t1 - t0, "first_s": t2 - t1, "results": out,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cases() -> dict:
    data = tomllib.loads(SENTENCES.read_text(encoding="utf-8"))
    whole = [(lang, text) for lang in LANGS for text in data[lang]]
    short = [(lang, text[:6] if lang in ("ja", "zh") else " ".join(text.split()[:3])) for lang, text in whole]
    return {"sentence": whole, "three words": short}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="interpreter with a detector installed")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    pythons = args.python or [sys.executable]
    payload = json.dumps(cases())
    print(f"{'detector':<22} {'version':<8} {'sentences':>10} {'3 words':>10} {'ms/record':>10} "
          f"{'import+load s':>14} {'peak RSS MiB':>13}")
    for name in ("py3langid", "lingua", "lingua-low"):
        report = None
        for python in pythons:
            run = subprocess.run([python, "-c", CHILD, name, ",".join(LANGS)], input=payload,
                                 capture_output=True, text=True, check=False)
            try:
                report = json.loads(run.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                report = {"error": (run.stderr.strip().splitlines() or ["no output"])[-1]}
            if "error" not in report:
                break
        if "error" in report:
            print(f"{name:<22} {report['error']}")
            continue
        res = report["results"]
        whole, short = res["sentence"], res["three words"]
        ms = 1000 * (whole["seconds"] + short["seconds"]) / (whole["n"] + short["n"])
        print(f"{name:<22} {report['version']:<8} {whole['ok']:>4}/{whole['n']:<5} {short['ok']:>4}/{short['n']:<5} "
              f"{ms:>10.3f} {report['import_s'] + report['first_s']:>14.2f} {report['peak_rss_mib']:>13.0f}")
        if args.verbose:
            for label in ("sentence", "three words"):
                for lang, got, text in res[label]["wrong"]:
                    print(f"    {label}: {lang} read as {got}: {text}")


if __name__ == "__main__":
    main()
