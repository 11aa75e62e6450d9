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
        self._section_members: dict[tuple[str, str], list[str]] = {}  # of the sections with question lines
        self.current: tuple[str, str] | None = None

    def on_mount(self) -> None:
        self.refresh_all()

    # The column around the panel shows that the panel has the keys (border colour and hint line): a
    # class set on focus and blur, not a ``:focus-within`` rule, which Textual re-evaluates over the
    # whole screen on every focus change (it cost next/previous ~100 ms).
    def on_focus(self) -> None:
        if self.parent is not None:
            self.parent.add_class("jumping")

    def on_blur(self) -> None:
        if self.parent is not None:
            self.parent.remove_class("jumping")

    def _node(self, parent: TreeNode[Any], nodes: dict[Any, TreeNode[Any]], key: Any, label: Text,
              data: tuple[str, ...], leaf: bool = False) -> TreeNode[Any]:
        """The node for ``key`` with ``label``: created with it, or relabelled only if it changed.

        Each ``set_label`` schedules a redraw callback; on the first frame the panel would otherwise
        send one per line (a few hundred), which showed as a tenth of the time to the first frame.
        """
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = (parent.add_leaf(label, data=data) if leaf
                                 else parent.add(label, data=data, expand=False))
        elif node.label != label:
            node.set_label(label)
        return node

    def refresh_all(self, spec_id: str | None = None) -> None:
        """Progress, marks and visibility (of one questionnaire, or all); only labels that changed are
        redrawn. A section's question lines are made when it is first expanded (see ``_fill``)."""
        for spec in self.session.specs:
            if spec_id is not None and spec.id != spec_id:
                continue
            progress = self.session.progress(spec, self.session.view(spec))
            a, v = progress[""]
            spec_node = self._node(self.root, self._spec_nodes, spec.id,
                                   self._label(spec.model.title, a, v, bold=True), ("spec", spec.id))
            for section in spec.model.sections:
                sa, sv = progress[section.id]
                if sv:
                    label = self._label(section.title, sa, sv)
                else:
                    label = Text.assemble((section.title, "dim"), (" (not applicable)", "dim italic"))
                key = (spec.id, section.id)
                node = self._node(spec_node, self._section_nodes, key, label, ("section", spec.id, section.id))
                if key in self._section_members:
                    self._fill(spec, section, node)

    def _fill(self, spec: Any, section: Any, node: TreeNode[Any]) -> None:
        """Make or update the lines of a section's visible questions (rebuilt only if which questions
        are visible changed)."""
        key = (spec.id, section.id)
        view = self.session.view(spec)
        members = [q.id for q in section.questions if view.is_visible(q.id)]
        if members != self._section_members.get(key):
            if key in self._section_members:
                for stale in self._section_members[key]:
                    self._question_nodes.pop((spec.id, stale), None)
                node.remove_children()
            self._section_members[key] = members
        answers = self.session.answers(spec)
        for q in section.questions:
            if q.id in members:
                qkey = (spec.id, q.id)
                self._node(node, self._question_nodes, qkey,
                           self._question_label(q, answers.get(q.id), qkey == self.current),
                           ("question", spec.id, q.id), leaf=True)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        data = event.node.data
        if data and data[0] == "section" and (data[1], data[2]) not in self._section_members:
            spec = self.session.spec(data[1])
            section = next((s for s in spec.model.sections if s.id == data[2]), None) if spec else None
            if section is not None:
                self._fill(spec, section, event.node)

    @staticmethod
    def _label(title: str, answered: int, visible: int, bold: bool = False) -> Text:
        """Progress first, so a narrow panel cuts the title, never the count (the full title shows in
        the panel's hint line when the line is highlighted)."""
        done = visible and answered == visible
        return Text.assemble((f"{answered}/{visible}", "green" if done else "dim"), ("✓ " if done else " "),
                             (title, "bold" if bold else ""))

    def full_text(self, node: TreeNode[Any]) -> str:
        """The whole text of a line (questionnaire, section or question), however narrow the panel."""
        data = node.data or ()
        spec = self.session.spec(data[1]) if len(data) > 1 else None
        if spec is None:
            return str(node.label)
        if data[0] == "spec":
            return spec.model.title
        if data[0] == "section":
            return next((s.title for s in spec.model.sections if s.id == data[2]), str(node.label))
        return spec.question(data[2]).prompt

    @staticmethod
    def _question_label(q: Any, answer: Any, current: bool) -> Text:
        symbol, style = mark(answer)
        return Text.assemble(("→ " if current else ""), (symbol, style), " ",
                             (one_line(q.prompt, 60), "bold" if current else ""))

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
                label = self._question_label(q, self.session.answers(owner).get(q.id), key == place.key)
                if node.label != label:
                    node.set_label(label)
        section_id = spec.section_of[place.question.id]
        if previous is not None and previous[0] in self._spec_nodes:
            prev_spec = self.session.spec(previous[0])
            if prev_spec is not None:
                prev_section = prev_spec.section_of.get(previous[1])
                if (previous[0], prev_section) != (spec.id, section_id):
                    node = self._section_nodes.get((previous[0], prev_section or ""))
                    if node is not None and node.is_expanded:
                        node.collapse()
                if previous[0] != spec.id and self._spec_nodes[previous[0]].is_expanded:
                    self._spec_nodes[previous[0]].collapse()
        # Textual's expand() and collapse() lay the whole tree out again even when nothing changes: moving
        # within a section (most next/previous moves) only relabels two lines.
        if not self._spec_nodes[spec.id].is_expanded:
            self._spec_nodes[spec.id].expand()
        section_node = self._section_nodes[(spec.id, section_id)]
        if (spec.id, section_id) not in self._section_members:
            self._fill(spec, next(s for s in spec.model.sections if s.id == section_id), section_node)
        if not section_node.is_expanded:
            section_node.expand()
        node = self._question_nodes.get(place.key)
        if node is None:
            return
        if self.size.height == 0:
            # Before the first layout: put the cursor on the question now (asking for a line lays the
            # lines out), so the first frame is drawn with it; scroll after layout, only if needed.
            self.get_node_at_line(0)
            self.cursor_line = node.line
        self.call_after_refresh(self._reveal, node)

    def _reveal(self, node: TreeNode[Any]) -> None:
        if node.line < 0:
            return
        if self.cursor_line != node.line:
            self.move_cursor(node)
        top = self.scroll_offset.y
        if not top <= node.line < top + self.scrollable_content_region.height:
            self.scroll_to_node(node, animate=False)
