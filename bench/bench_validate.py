"""Benchmark: validating large questionnaires is bounded (plain script; prints what it measured).

Loads (reads, parses, validates, compiles and checks) questionnaires the way `riskwizard validate`
does, without the parsed-data cache, and prints CPU seconds:

1. the bundled eu-ai-act questionnaire (for scale);
2. a large *typical* generated questionnaire (2,000 questions, 1,300 rules, near the YAML limits);
3. a large *worst-case* one (2,000 questions, 400 rules that each tie seven questions together and
   are satisfiable only by the answers tried last: 16,384 combinations each);

each next to the YAML parse alone of the same file (the ratio is what the checks add), and the
contradiction check's share. Target: every questionnaire validates in under 2 s.

    python bench/bench_validate.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from gen_large_questionnaire import questionnaire  # noqa: E402

from riskwizard import loader  # noqa: E402
from riskwizard.yamlsafe import decode_utf8, load_yaml_text, read_bytes  # noqa: E402

TARGET_SECONDS = 2.0


def measure(path: Path, repeat: int) -> tuple[float, float, float]:
    """Median CPU seconds of (parse only, full validation, the contradiction check within it)."""
    parse, full, check = [], [], []
    original = loader._check_satisfiable
    spent = [0.0]

    def timed(*args: object) -> None:
        started = time.process_time()
        original(*args)  # type: ignore[arg-type]
        spent[0] += time.process_time() - started

    for _ in range(repeat):
        t0 = time.process_time()
        load_yaml_text(decode_utf8(read_bytes(path), path.name), path.name)
        parse.append(time.process_time() - t0)
        spent[0] = 0.0
        loader._check_satisfiable = timed  # type: ignore[assignment]
        try:
            t0 = time.process_time()
            raw = read_bytes(path)
            src = load_yaml_text(decode_utf8(raw, path.name), path.name)
            loader.build_spec(src, hashlib.sha256(raw).hexdigest())
            full.append(time.process_time() - t0)
        finally:
            loader._check_satisfiable = original  # type: ignore[assignment]
        check.append(spent[0])
    return statistics.median(parse), statistics.median(full), statistics.median(check)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    os.environ["RISKWIZARD_NO_CACHE"] = "1"
    worst_ok = True
    with tempfile.TemporaryDirectory(prefix="rw-bench-validate-") as tmp:
        typical = Path(tmp) / "typical.yaml"
        typical.write_text(questionnaire(2000, 1300, "typical"), encoding="utf-8")
        worst = Path(tmp) / "worst.yaml"
        worst.write_text(questionnaire(2000, 400, "worst"), encoding="utf-8")
        cases = [("bundled eu-ai-act", loader.bundled_dir() / "eu-ai-act.yaml"), ("large typical", typical),
                 ("large worst case", worst)]
        print(f"{'questionnaire':<20} {'bytes':>9} {'parse s':>8} {'validate s':>10} {'ratio':>6} {'check s':>8}")
        for label, path in cases:
            parse, full, check = measure(path, args.repeat)
            ok = full < TARGET_SECONDS
            worst_ok = worst_ok and ok
            print(f"{label:<20} {path.stat().st_size:>9,} {parse:>8.2f} {full:>10.2f} {full / parse:>5.2f}x "
                  f"{check:>8.2f}  {'ok' if ok else 'OVER TARGET'}")
    print(f"target: each under {TARGET_SECONDS:.0f} s of CPU: {'met' if worst_ok else 'NOT met'} "
          f"(contradiction-check budget: {loader.CHECK_BUDGET:,} evaluations per questionnaire)")
    return 0 if worst_ok else 1


if __name__ == "__main__":
    sys.exit(main())
