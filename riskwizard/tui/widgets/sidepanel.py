"""The side panel: questionnaires and sections with progress; select a line to jump there."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..session import Place, Session
from ..text import one_line


def mark(answer: Any) -> tuple[str, str]:
    if answer is None or (answer.value is None and not answer.unknown):
        return "·", "dim"
    if answer.unknown:
        return "?", "yellow"
    return "✓", "green"


class SidePanel(Tree[Any]):
    """Questionnaire > section (answered/visible) > visible questions."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__("Assessment", **kwargs)
        self.session = session
        self.show_root = False
        self.guide_depth = 2
        self._spec_nodes: dict[str, TreeNode[Any]] = {}
        self._section_nodes: dict[tuple[str, str], TreeNode[Any]] = {}
        self._question_nodes: dict[tuple[str, str], TreeNode[Any]] = {}
        self._section_members: dict[tuple[str, str], list[str]] = {}
        self.current: tuple[str, str] | None = None

    def on_mount(self) -> None:
        for spec in self.session.specs:
            node = self.root.add(Text(spec.model.title), data=("spec", spec.id), expand=False)
            self._spec_nodes[spec.id] = node
            for section in spec.model.sections:
                self._section_nodes[(spec.id, section.id)] = node.add(
                    Text(section.title), data=("section", spec.id, section.id), expand=False)
        self.refresh_all()

    def refresh_all(self, spec_id: str | None = None) -> None:
        """Progress, marks and visibility (of one questionnaire, or all); only sections whose visible
        questions changed are rebuilt."""
        for spec in self.session.specs:
            if spec_id is not None and spec.id != spec_id:
                continue
            view = self.session.view(spec)
            progress = self.session.progress(spec, view)
            answers = self.session.answers(spec)
            a, v = progress[""]
            self._spec_nodes[spec.id].set_label(self._label(spec.model.title, a, v, bold=True))
            for section in spec.model.sections:
                key = (spec.id, section.id)
                node = self._section_nodes[key]
                members = [q.id for q in section.questions if view.is_visible(q.id)]
                if members != self._section_members.get(key):
                    self._section_members[key] = members
                    for stale in [k for k in self._question_nodes
                                  if k[0] == spec.id and spec.section_of.get(k[1]) == section.id]:
                        del self._question_nodes[stale]
                    node.remove_children()
                    for q in section.questions:
                        if q.id in members:
                            self._question_nodes[(spec.id, q.id)] = node.add_leaf(
                                Text(""), data=("question", spec.id, q.id))
                sa, sv = progress[section.id]
                if sv:
                    node.set_label(self._label(section.title, sa, sv))
                else:
                    node.set_label(Text.assemble((section.title, "dim"), (" (not applicable)", "dim italic")))
                for q in section.questions:
                    qnode = self._question_nodes.get((spec.id, q.id))
                    if qnode is not None:
                        self._set_question_label(qnode, q, answers.get(q.id), (spec.id, q.id) == self.current)

    @staticmethod
    def _label(title: str, answered: int, visible: int, bold: bool = False) -> Text:
        done = visible and answered == visible
        return Text.assemble((title, "bold" if bold else ""), "  ",
                             (f"{answered}/{visible}", "green" if done else "dim"), (" ✓" if done else ""))

    @staticmethod
    def _set_question_label(node: TreeNode[Any], q: Any, answer: Any, current: bool) -> None:
        symbol, style = mark(answer)
        node.set_label(Text.assemble(("→ " if current else ""), (symbol, style), " ",
                                     (one_line(q.prompt, 60), "bold" if current else "")))

    def show_place(self, place: Place) -> None:
        """Mark ``place`` as current, expand its questionnaire and section, and scroll to it."""
        previous = self.current
        self.current = place.key
        spec = place.spec
        for key in (previous, place.key):
            if key is None:
                continue
            node = self._question_nodes.get(key)
            owner = self.session.spec(key[0])
            if node is not None and owner is not None:
                q = owner.question(key[1])
                self._set_question_label(node, q, self.session.answers(owner).get(q.id), key == place.key)
        section_id = spec.section_of[place.question.id]
        if previous is not None and previous[0] in self._spec_nodes:
            prev_spec = self.session.spec(previous[0])
            if prev_spec is not None:
                prev_section = prev_spec.section_of.get(previous[1])
                if (previous[0], prev_section) != (spec.id, section_id):
                    node = self._section_nodes.get((previous[0], prev_section or ""))
                    if node is not None:
                        node.collapse()
                if previous[0] != spec.id:
                    self._spec_nodes[previous[0]].collapse()
        self._spec_nodes[spec.id].expand()
        self._section_nodes[(spec.id, section_id)].expand()
        node = self._question_nodes.get(place.key)
        if node is not None:
            self.call_after_refresh(self._reveal, node)

    def _reveal(self, node: TreeNode[Any]) -> None:
        if node.line >= 0:
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)
