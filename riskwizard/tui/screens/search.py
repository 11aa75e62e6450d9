"""Find a question by words in its prompt, help or id, across all questionnaires."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..session import Place, Session, search_places
from ..text import one_line, plain, styled


class SearchScreen(ModalScreen[Place | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "to_list", "Results", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.places = session.order()
        self.shown: list[Place] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog", classes="dialog"):
            yield Static(styled(("Find a question", "bold"), ("  (type words; enter opens; esc closes)", "dim")),
                         markup=False, classes="dialog-title")
            yield Input(placeholder="e.g. consent, base rate, children", id="search-input")
            yield OptionList(id="search-results")
            yield Static("", markup=False, id="search-count", classes="dim-text")

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#search-input", Input).focus()

    def _filter(self, query: str) -> None:
        self.shown = search_places(self.places, query)
        options = self.query_one("#search-results", OptionList)
        options.clear_options()
        multi = len(self.session.specs) > 1
        for place in self.shown[:200]:
            answer = self.session.answer(place)
            mark = "✓" if answer is not None and answer.is_answered else ("?" if answer and answer.unknown else "·")
            prefix = f"{one_line(place.spec.model.title, 18)} › " if multi else ""
            options.add_option(Option(plain(f"{mark} {prefix}{one_line(place.question.prompt, 90)}")))
        if self.shown:
            options.highlighted = 0
        more = " (first 200 shown)" if len(self.shown) > 200 else ""
        self.query_one("#search-count", Static).update(f"{len(self.shown)} of {len(self.places)} questions{more}")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#search-results", OptionList).highlighted
        if self.shown:
            self.dismiss(self.shown[index or 0])

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_to_list(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
