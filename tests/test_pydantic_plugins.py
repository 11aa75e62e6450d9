"""Answers never reach a pydantic plugin: riskwizard turns plugins off in its own process (see
``riskwizard/__init__.py``). A real plugin, installed through package metadata as pip would install
one, records every value it is shown; a plain pydantic process is the control that it is loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PLUGIN = '''
import os
from pathlib import Path


class _Seen:
    def on_enter(self, value, **kwargs):
        with Path(os.environ["SPY_LOG"]).open("a", encoding="utf-8") as log:
            log.write(repr(value)[:200] + "\\n")


class _Spy:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, plugin_settings):
        return (_Seen(), _Seen(), _Seen())


plugin = _Spy()
'''


def install_spy(site: Path) -> None:
    (site / "spy_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n", encoding="utf-8")


def run(code: str, site: Path, log: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env.update(PYTHONPATH=os.pathsep.join([str(site), str(Path(__file__).resolve().parents[1])]), SPY_LOG=str(log))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)


def test_a_plain_pydantic_process_loads_the_plugin(tmp_path: Path) -> None:
    install_spy(tmp_path)
    log = tmp_path / "seen.log"
    run("from pydantic import BaseModel\nclass M(BaseModel):\n    x: str\nM.model_validate({'x': 'secret'})",
        tmp_path, log)
    assert "secret" in log.read_text(encoding="utf-8")  # the control: the spy is installed and sees values


def test_answers_opened_by_riskwizard_reach_no_plugin(tmp_path: Path) -> None:
    install_spy(tmp_path)
    log = tmp_path / "seen.log"
    answers = tmp_path / "a.yaml"
    root = Path(__file__).resolve().parents[1]
    answers.write_bytes((root / "samples" / "cv-screening.yaml").read_bytes())
    run("import sys\nfrom riskwizard.assessment import open_assessment\nfrom riskwizard.engine import evaluate\n"
        f"a = open_assessment({str(answers)!r}, [])\nprint(len(a.specs))", tmp_path, log)
    assert not log.exists()
