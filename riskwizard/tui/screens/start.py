"""The start screen: new assessment, recent files, samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    RadioSet,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ...answers import STAGES, AnswerStore, new_doc
from ...applicability import VENUES, Suggestion, facts_from_options, ordered, suggest_questionnaires
from ...errors import RiskwizardError
from ...loader import Spec, bundled_dir, find_questionnaire, load_questionnaire, samples_dir
from ..recent import load_recent
from ..text import one_line, plain
from ..widgets.choices import Checklist, Radio
from ..widgets.toggles import Check

ROLES = (("provider", "provider"), ("deployer", "deployer"), ("importer_distributor", "importer/distributor"))
PAPER = (("yes", "yes"), ("no", "no"))
VENUE_LABELS = {"neurips": "NeurIPS", "acl": "*ACL (ARR)", "other": "other"}


def available_specs(search_dirs: list[Path]) -> list[Spec]:
    """Each loadable questionnaire, search folders first (an id found twice: the first)."""
    seen: set[str] = set()
    out = []
    for folder in [*search_dirs, bundled_dir()]:
        for path in sorted(Path(folder).glob("*.y*ml")):
            try:
                spec = load_questionnaire(path)
            except RiskwizardError:
                continue
            if spec.id in seen:
                continue
            seen.add(spec.id)
            out.append(spec)
    position = {qid: i for i, qid in enumerate(ordered([sp.id for sp in out]))}
    return sorted(out, key=lambda sp: position[sp.id])  # EU AI Act first, as `new` orders them


class StartScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "create", "Create", priority=True, show=False),
        Binding("f1", "show_tab('new')", "New"),
        Binding("f2", "show_tab('recent')", "Recent"),
        Binding("f3", "show_tab('samples')", "Samples"),
    ]

    def __init__(self, search_dirs: list[Path] | None = None) -> None:
        super().__init__()
        self.search_dirs = search_dirs or []
        self.specs = available_specs(self.search_dirs)
        self.questionnaires = [(sp.id, sp.model.title, len(sp.questions()), str(sp.path)) for sp in self.specs]
        self.suggestions: dict[str, Suggestion] = {}
        self.ticks_by_hand = False  # once the user ticks or unticks one, suggestions no longer change the ticks
        self.recent = load_recent()
        self.samples = sorted(samples_dir().glob("*.yaml")) if samples_dir().is_dir() else []

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with TabbedContent(initial="new", id="start-tabs"):
            with TabPane("New assessment", id="new"), VerticalScroll(id="new-form"):
                # A few facts first: they decide which questionnaires are suggested (and ticked). Compact
                # rows, so that everything down to "Create" is on screen at 80x24.
                with Horizontal(classes="form-row"):
                    yield Label("Stage", classes="form-label")
                    with RadioSet(id="new-stage", compact=True):
                        for stage in STAGES:
                            yield Radio(stage, name=stage)
                with Horizontal(classes="form-row", id="new-paper-row"):
                    yield Label("Paper?", classes="form-label")
                    with RadioSet(id="new-paper", compact=True):
                        for value, label in PAPER:
                            yield Radio(label, name=value)
                    yield Label("venue:", classes="form-hint")
                    for value in VENUES:  # ticking a venue answers "yes"; "no" unticks them
                        yield Check(VENUE_LABELS[value], False, name=value, compact=True, classes="venue")
                with Horizontal(classes="form-row", id="new-roles"):
                    yield Label("Your role", classes="form-label")
                    for value, label in ROLES:
                        yield Check(label, False, name=value, compact=True, classes="role")
                yield Label("Questionnaires (+ suggested by the facts above, and ticked; space ticks)",
                            classes="form-label", id="new-questionnaires-label")
                yield Checklist(*self._selections(), id="new-questionnaires", compact=True)
                yield Static("", markup=False, id="new-reason", classes="dim-text")
                with Horizontal(classes="form-row"):
                    yield Label("Save as", classes="form-label")
                    # focusing selects the default name, so typing a name replaces it
                    yield Input("assessment.yaml", id="new-file", compact=True)
                    yield Label(" System", classes="form-label-short")
                    yield Input(placeholder="e.g. CV screening model v2", id="new-name", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("Assessor", classes="form-label")
                    yield Input(placeholder="your name", id="new-assessor", compact=True)
                    yield Button("Create and start (ctrl+s)", id="new-create", variant="primary", compact=True)
                yield Static("", markup=False, id="new-problem", classes="inline-error")
            with TabPane("Open recent", id="recent"):
                if self.recent:
                    yield OptionList(*(Option(plain(f"{one_line(e['title'] or Path(e['path']).stem, 30):<30} "
                                                    f"{e['path']}")) for e in self.recent), id="recent-list")
                else:
                    yield Static("No recent files yet. Files you open are listed here.", markup=False,
                                 classes="dim-text")
            with TabPane("Open a sample", id="samples"):
                yield Static("A sample is copied to the current folder, then opened; the original stays as it is.",
                             markup=False, classes="dim-text")
                if self.samples:
                    yield OptionList(*(Option(plain(p.stem)) for p in self.samples), id="sample-list")
                else:
                    yield Static("No samples are installed.", markup=False, classes="dim-text")
        yield Footer(compact=True)

    # ------------------------------------------------------------------ suggestions

    def scope_facts(self) -> dict[str, Any]:
        """The facts given above the list (stage, paper, role), as `riskwizard new` takes them."""
        paper = self._pressed("#new-paper")
        roles = [str(c.name) for c in self.query("#new-roles Check") if isinstance(c, Check) and c.value]
        venues = [str(c.name) for c in self.query("#new-paper-row Check") if isinstance(c, Check) and c.value]
        if paper == "no":
            venues = []  # the venue boxes are being unticked (see _paper_changed)
        return facts_from_options(None if not paper else paper == "yes", self._pressed("#new-stage") or None, roles,
                                  venues=venues)

    def _pressed(self, selector: str) -> str:
        found = self.query(selector)
        button = found.first(RadioSet).pressed_button if found else None
        return str(button.name) if button is not None and button.name else ""

    def _selections(self) -> list[Selection[str]]:
        self.suggestions = {s.id: s for s in suggest_questionnaires(self.scope_facts() if self.is_mounted else {},
                                                                      self.specs)}
        return [Selection(self._label(qid, title, n), qid, self.suggestions[qid].applies)
                for qid, title, n, _p in self.questionnaires]

    def _label(self, qid: str, title: str, n: int) -> Text:
        mark = ("+ ", "bold green") if self.suggestions[qid].applies else ("  ", "")
        return Text.assemble(mark, (f"{n:>3} questions  {title}", ""))

    def update_suggestions(self) -> None:
        """The scope facts changed: new suggestions, labels and reasons; the ticks follow them until the
        user has ticked or unticked one by hand."""
        listing = self.query_one("#new-questionnaires", SelectionList)
        self.suggestions = {s.id: s for s in suggest_questionnaires(self.scope_facts(), self.specs)}
        highlighted = listing.highlighted
        selected = set(listing.selected)
        listing.clear_options()
        listing.add_options([
            Selection(self._label(qid, title, n), qid,
                      self.suggestions[qid].applies if not self.ticks_by_hand else qid in selected)
            for qid, title, n, _p in self.questionnaires])
        listing.highlighted = highlighted
        self._show_reason()

    def _show_reason(self) -> None:
        listing = self.query_one("#new-questionnaires", SelectionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.questionnaires):
            text = ""
        else:
            qid, title = self.questionnaires[index][:2]
            s = self.suggestions.get(qid)
            text = f"{title}: {s.reason}" if s is not None else ""
        self.query_one("#new-reason", Static).update(text)

    @on(RadioSet.Changed, "#new-stage, #new-paper")
    @on(Checkbox.Changed, "#new-roles Check, #new-paper-row Check")
    def _scope_changed(self, event: RadioSet.Changed | Checkbox.Changed) -> None:
        event.stop()
        self._keep_paper_and_venues_consistent(event)
        self.update_suggestions()

    def _keep_paper_and_venues_consistent(self, event: RadioSet.Changed | Checkbox.Changed) -> None:
        """A ticked venue means there is a paper; "no paper" means no venue."""
        if isinstance(event, Checkbox.Changed) and event.checkbox.has_class("venue") and event.value:
            if self._pressed("#new-paper") != "yes":
                for radio in self.query("#new-paper RadioButton"):
                    if isinstance(radio, Radio) and radio.name == "yes":
                        radio.value = True  # the radio set unpresses "no" and reports the change
        elif isinstance(event, RadioSet.Changed) and event.radio_set.id == "new-paper" \
                and self._pressed("#new-paper") == "no":
            for box in self.query("#new-paper-row Check"):
                if isinstance(box, Check) and box.value:
                    box.value = False

    @on(SelectionList.SelectionToggled, "#new-questionnaires")
    def _ticked(self, event: SelectionList.SelectionToggled) -> None:
        self.ticks_by_hand = True

    @on(SelectionList.SelectionHighlighted, "#new-questionnaires")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show_reason()

    def on_mount(self) -> None:
        self.title = "riskwizard"
        self.sub_title = "Start"
        if self.questionnaires:
            self.query_one("#new-questionnaires", SelectionList).highlighted = 0
            self._show_reason()
        if not self.questionnaires:
            self._problem("No questionnaires were found. Check the installation or pass -Q FOLDER.")
        self.query_one("#new-stage").focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {"new": "#new-stage", "recent": "#recent-list", "samples": "#sample-list"}[tab]
        found = self.query(target)
        if found:
            found.first().focus()

    def _problem(self, text: str) -> None:
        problem = self.query_one("#new-problem", Static)
        problem.update(text)
        problem.set_class(bool(text), "shown")

    def form(self) -> dict[str, Any]:
        stage_button = self.query_one("#new-stage", RadioSet).pressed_button
        return {
            "questionnaires": list(self.query_one("#new-questionnaires", SelectionList).selected),
            "name": self.query_one("#new-name", Input).value.strip(),
            "assessor": self.query_one("#new-assessor", Input).value.strip(),
            "stage": stage_button.name if stage_button is not None and stage_button.name else "",
            "facts": self.scope_facts(),
            "file": self.query_one("#new-file", Input).value.strip(),
        }

    def action_create(self) -> None:
        if self.query_one(TabbedContent).active != "new":
            return
        form = self.form()
        if not form["questionnaires"]:
            self._problem("Tick at least one questionnaire (space ticks the highlighted one).")
            self.query_one("#new-questionnaires").focus()
            return
        if not form["file"]:
            self._problem("Type a file name to save the answers in, e.g. assessment.yaml.")
            return
        path = Path(form["file"]).expanduser()
        if path.suffix not in (".yaml", ".yml"):
            path = path.with_name(path.name + ".yaml")
        if path.exists():
            self._problem(f"{path} exists already: choose another name, or open it from Open recent "
                          f"or with `riskwizard {path}`.")
            return
        if not path.parent.resolve().is_dir():
            self._problem(f"The folder {path.parent} does not exist.")
            return
        try:
            by_id = {qid: p for qid, _t, _n, p in self.questionnaires}
            specs = [find_questionnaire(by_id[q], self.search_dirs) for q in form["questionnaires"]]
            with AnswerStore(path) as store:
                store.save(new_doc(specs, form["name"], form["assessor"], "", path, facts=form["facts"]))
        except (RiskwizardError, OSError) as exc:
            self._problem(f"Could not create {path}: {getattr(exc, 'message', exc)}")
            return
        self._problem("")
        self.app.open_path(path)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#new-create")
    def _create(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_create()

    @on(Input.Submitted, "#new-file")
    def _file_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_create()

    @on(OptionList.OptionSelected, "#recent-list")
    def _recent(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_path(Path(self.recent[event.option_index]["path"]))  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected, "#sample-list")
    def _sample(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from ...loader import copy_sample

        try:
            copy = copy_sample(self.samples[event.option_index], Path.cwd())
        except OSError as exc:
            self.notify(f"Could not copy the sample: {exc}", severity="error", markup=False)
            return
        self.notify(f"Copied the sample to {copy}", markup=False)
        self.app.open_path(copy)  # type: ignore[attr-defined]
