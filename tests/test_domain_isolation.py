"""The domain never imports the UI or the PDF engine."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = ["riskwizard.models", "riskwizard.loader", "riskwizard.conditions", "riskwizard.engine",
          "riskwizard.answers", "riskwizard.calc", "riskwizard.assessment", "riskwizard.diffing",
          "riskwizard.yamlsafe", "riskwizard.schema", "riskwizard.cli", "riskwizard.qtest",
          "riskwizard.timeline"]


def test_domain_imports_neither_textual_nor_weasyprint() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in DOMAIN)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'weasyprint'))\n"
        + "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_no_eval_or_exec_in_the_package() -> None:
    from pathlib import Path

    import riskwizard

    root = Path(riskwizard.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text()
        for word in ("eval(", "exec(", "yaml.load(", "yaml.unsafe_load", "from_string("):
            assert word not in text.replace("literal_eval(", ""), f"{path}: {word}"
