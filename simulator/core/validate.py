"""Checks a schema-valid scenario for mistakes a schema cannot see.

Duplicate ids, dangling references, unreachable turns, turns with no way out,
loops that can never end, conditions that do not parse or name unknown
criteria. Each problem carries the line and column of the offending value.
"""

from __future__ import annotations

import re
from collections import deque
from difflib import get_close_matches
from typing import Any

from simulator.core import conditions, placeholders
from simulator.core.facts import FACT_KINDS
from simulator.core.problems import Problem
from simulator.core.scoring.catalog import CORE_CRITERIA, CUSTOM_KEYS
from simulator.core.scoring.pattern_safety import danger
from simulator.core.yamlsafe import Path, SourceMap


class _Checker:
    def __init__(self, data: dict[str, Any], source: SourceMap, file: str) -> None:
        self.data = data
        self.source = source
        self.file = file
        self.problems: list[Problem] = []
        self.read_variables: set[str] = set()

    def add(
        self,
        path: Path,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        offset: int = 0,
        warning: bool = False,
    ) -> None:
        line, col = self.source.key(path) if key else self.source.value(path)
        if offset:
            col += offset + (1 if self.source.quoted.get(path) else 0)
        self.problems.append(Problem(self.file, line, col, message, hint, warning=warning))

    def run(self) -> list[Problem]:
        criteria = self._rubric()
        variables = set(self.data.get("variables", {}) or {})
        targets = self._ids()
        nodes: list[dict[str, Any]] = self.data["nodes"]
        edges: dict[str, list[str]] = {}
        for index, node in enumerate(nodes):
            edges[node["id"]] = self._node(index, node, criteria, variables, targets)
        for index, ending in enumerate(self.data["endings"]):
            for key in ("say", "debrief"):
                if key in ending:
                    self._say(("endings", index, key), ending[key], criteria, variables)
        for name in sorted(variables - self.read_variables):
            self.add(
                ("variables", name),
                f"variable {name!r} is never read",
                "test it in a condition (var.NAME) or quote it in a line, or remove it",
                key=True,
                warning=True,
            )
        self._start(targets)
        self._graph(edges)
        return self.problems

    def _rubric(self) -> set[str]:
        seen: set[str] = set()
        for index, spec in enumerate(self.data["rubric"]):
            path: Path = ("rubric", index)
            cid = spec["id"]
            if cid in seen:
                self.add((*path, "id"), f"criterion {cid!r} is listed twice in the rubric", "remove one of them")
            seen.add(cid)
            custom = any(key in spec for key in CUSTOM_KEYS)
            if cid not in CORE_CRITERIA and not custom:
                close = get_close_matches(cid, list(CORE_CRITERIA), n=1)
                hint = (
                    f"did you mean the core criterion {close[0]!r}?"
                    if close
                    else "give a scenario-specific criterion 'exemplars' (example answers), 'phrases' or 'patterns'"
                )
                self.add(
                    (*path, "id"),
                    f"criterion {cid!r} is not a core criterion and has no exemplars, phrases or patterns",
                    hint,
                )
            if cid in CORE_CRITERIA and not custom and "example" not in spec:
                self.add(
                    (*path, "id"),
                    f"core criterion {cid!r} has no example in this scenario's own words",
                    "add 'example:' - the answer a trainee who missed it should have given here",
                    warning=True,
                )
            if cid not in CORE_CRITERIA and "label" not in spec:
                self.add(path, f"criterion {cid!r} needs a label", "a short name trainees see in the debrief")
            for p_index, pattern in enumerate(spec.get("patterns", [])):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.add(
                        (*path, "patterns", p_index),
                        f"pattern is not a valid regular expression: {exc.msg}",
                        "escape special characters such as ( ) ? with a backslash",
                        offset=exc.pos or 0,
                    )
                    continue
                # Phrases compile to patterns that are safe by construction (tests/core/scoring/test_redos.py).
                why = danger(pattern)
                if why:
                    self.add(
                        (*path, "patterns", p_index),
                        f"pattern could make scoring an answer take minutes: {why}",
                        "give every repeated group a limit, such as (?:\\w+ ){0,3} instead of (?:\\w+ )*, "
                        "and do not list words that another alternative also matches",
                    )
        return seen

    def _ids(self) -> dict[str, str]:
        """Every node and ending id -> 'node'/'ending'; reports duplicates."""
        kinds: dict[str, str] = {}
        for kind, key in (("node", "nodes"), ("ending", "endings")):
            for index, item in enumerate(self.data[key]):
                item_id = item["id"]
                if item_id in kinds:
                    self.add(
                        (key, index, "id"),
                        f"duplicate id {item_id!r}: a {kinds[item_id]} already has it",
                        "node and ending ids must all be different",
                    )
                else:
                    kinds[item_id] = kind
        return kinds

    def _node(
        self,
        index: int,
        node: dict[str, Any],
        criteria: set[str],
        variables: set[str],
        targets: dict[str, str],
    ) -> list[str]:
        path: Path = ("nodes", index)
        node_id = node["id"]
        scored = node.get("criteria")
        if scored is None:
            scored_set = set(criteria)
        else:
            scored_set = set()
            for c_index, cid in enumerate(scored):
                if cid not in criteria:
                    self.add(
                        (*path, "criteria", c_index),
                        f"criterion {cid!r} is not defined in the rubric",
                        _suggest(cid, criteria, "add it to the rubric"),
                    )
                scored_set.add(cid)
        self._say((*path, "say"), node["say"], criteria, variables)
        self._asks(path, node, criteria, index == 0 or node_id == self.data["start"])
        out: list[str] = []
        for t_index, transition in enumerate(node.get("transitions", [])):
            t_path: Path = (*path, "transitions", t_index)
            self._condition(t_path, transition["when"], node_id, criteria, scored_set, variables)
            self._effects(t_path, transition, variables)
            out.append(self._target(t_path, transition["to"], targets))
        otherwise = node.get("otherwise")
        if otherwise is None:
            if not node.get("transitions"):
                self.add(
                    path,
                    f"node {node_id!r} has no way out",
                    "add transitions and an 'otherwise:' fallback, or make it an ending",
                )
            else:
                self.add(
                    path,
                    f"node {node_id!r} has no fallback",
                    "add 'otherwise: {to: ...}' for answers that match no transition",
                )
        else:
            o_path: Path = (*path, "otherwise")
            self._effects(o_path, otherwise, variables)
            out.append(self._target(o_path, otherwise["to"], targets))
        return [t for t in out if t]

    def _condition(
        self,
        path: Path,
        text: str,
        node_id: str,
        criteria: set[str],
        scored: set[str],
        variables: set[str],
    ) -> None:
        w_path = (*path, "when")
        try:
            parsed = conditions.parse(text)
        except conditions.ConditionError as exc:
            self.add(w_path, f"condition does not parse: {exc.message}", exc.hint, offset=exc.offset)
            return
        for namespace, ident, offset in parsed.references():
            if namespace in ("met", "missed"):
                if ident not in criteria:
                    self.add(
                        w_path,
                        f"condition uses criterion {ident!r}, which the rubric does not define",
                        _suggest(ident, criteria, "add it to the rubric"),
                        offset=offset,
                    )
                elif ident not in scored:
                    self.add(
                        w_path,
                        f"condition uses criterion {ident!r}, which is not scored at node {node_id!r}",
                        f"add {ident!r} to this node's criteria, or test another criterion",
                        offset=offset,
                    )
            else:
                self._memory_reference(w_path, namespace, ident, offset, criteria, variables)

    def _memory_reference(
        self, path: Path, namespace: str, ident: str, offset: int, criteria: set[str], variables: set[str]
    ) -> None:
        """Checks an ``ever.``, ``fact.`` or ``var.`` name, wherever a condition uses it."""
        if namespace == "var":
            self.read_variables.add(ident)
        if namespace == "ever" and ident not in criteria:
            self.add(
                path,
                f"condition uses criterion {ident!r}, which the rubric does not define",
                _suggest(ident, criteria, "add it to the rubric"),
                offset=offset,
            )
        elif namespace == "fact" and ident not in FACT_KINDS:
            self.add(
                path,
                f"condition uses fact {ident!r}, which the trainee's words cannot give",
                _suggest(ident, set(FACT_KINDS), f"facts are {', '.join(FACT_KINDS)}"),
                offset=offset,
            )
        elif namespace == "var" and ident not in variables:
            self.add(
                path,
                f"condition uses variable {ident!r}, which is not declared",
                _suggest(ident, variables, "declare it under 'variables:' with a starting value"),
                offset=offset,
            )

    def _say(self, path: Path, say: Any, criteria: set[str], variables: set[str]) -> None:
        """Line variants: their conditions (memory only) and their placeholders."""
        if isinstance(say, str):
            self._template(path, say, None, variables)
            return
        for v_index, variant in enumerate(say):
            v_path: Path = (*path, v_index)
            tested: set[str] = set()
            if "when" in variant:
                tested = self._variant_condition((*v_path, "when"), variant["when"], criteria, variables)
            self._template((*v_path, "text"), variant["text"], tested, variables)

    def _variant_condition(self, path: Path, text: str, criteria: set[str], variables: set[str]) -> set[str]:
        try:
            parsed = conditions.parse(text)
        except conditions.ConditionError as exc:
            self.add(path, f"condition does not parse: {exc.message}", exc.hint, offset=exc.offset)
            return set()
        tested: set[str] = set()
        for namespace, ident, offset in parsed.references():
            if namespace in ("met", "missed") or namespace == "score":
                self.add(
                    path,
                    f"a line is chosen before the trainee answers, so {namespace!r} has no value here",
                    f"use ever.{ident or 'CRITERION'} (met on any turn so far), fact.KIND, var.ID or mood",
                    offset=offset,
                )
            elif namespace in ("ever", "fact", "var"):
                self._memory_reference(path, namespace, ident, offset, criteria, variables)
                tested.add(f"{namespace}.{ident}")
        return tested

    def _template(self, path: Path, text: str, tested: set[str] | None, variables: set[str]) -> None:
        one_line = "\n" not in text
        try:
            found = placeholders.placeholders(text)
        except placeholders.TemplateError as exc:
            self.add(path, f"line does not parse: {exc.message}", exc.hint, offset=exc.offset if one_line else 0)
            return
        for item in found:
            offset = item.offset if one_line else 0
            if item.namespace == "var":
                self.read_variables.add(item.name)
            if item.namespace == "var" and item.name not in variables:
                self.add(
                    path,
                    f"line quotes variable {item.name!r}, which is not declared",
                    _suggest(item.name, variables, "declare it under 'variables:'"),
                    offset=offset,
                )
            if item.namespace in ("fact", "var") and item.fallback is None and item.key not in (tested or set()):
                self.add(
                    path,
                    f"line quotes {{{item.key}}}, which may be empty on some paths",
                    f"add a fallback, {{{item.key}|...}}, or give this variant 'when: {item.key}'",
                    offset=offset,
                )

    def _asks(self, path: Path, node: dict[str, Any], criteria: set[str], first: bool) -> None:
        say = node["say"]
        variants = say if isinstance(say, list) else []
        for a_index, item in enumerate(node.get("asks", [])):
            namespace, _, ident = item.partition(".")
            a_path: Path = (*path, "asks", a_index)
            if namespace == "fact" and ident not in FACT_KINDS:
                self.add(a_path, f"unknown fact {ident!r}", f"facts are {', '.join(FACT_KINDS)}")
                continue
            if namespace == "ever" and ident not in criteria:
                self.add(a_path, f"criterion {ident!r} is not in the rubric", _suggest(ident, criteria, "add it"))
                continue
            if first:
                continue
            acknowledged = False
            for variant in variants:
                try:
                    refs = conditions.parse(variant["when"]).references() if "when" in variant else []
                except conditions.ConditionError:
                    refs = []
                acknowledged = acknowledged or any(ns == namespace and name == ident for ns, name, _ in refs)
            if not acknowledged:
                self.add(
                    a_path,
                    f"turn {node['id']!r} asks for {item} but no line acknowledges it when it was already given",
                    f"add a 'say' variant with 'when: {item}' that uses what the trainee gave",
                    warning=True,
                )

    def _effects(self, path: Path, transition: dict[str, Any], variables: set[str]) -> None:
        for name in transition.get("set", {}) or {}:
            if name not in variables:
                self.add(
                    (*path, "set", name),
                    f"sets variable {name!r}, which is not declared",
                    _suggest(name, variables, "declare it under 'variables:' with a starting value"),
                    key=True,
                )

    def _target(self, path: Path, target: str, targets: dict[str, str]) -> str:
        if target not in targets:
            self.add(
                (*path, "to"),
                f"transition goes to unknown node or ending {target!r}",
                _suggest(target, set(targets), "check the spelling of the id"),
            )
            return ""
        return target

    def _start(self, targets: dict[str, str]) -> None:
        start = self.data["start"]
        if targets.get(start) != "node":
            what = "an ending" if targets.get(start) == "ending" else "not a node"
            self.add(
                ("start",),
                f"start {start!r} is {what}",
                _suggest(start, {k for k, v in targets.items() if v == "node"}, "name the first customer turn"),
            )

    def _graph(self, edges: dict[str, list[str]]) -> None:
        nodes: list[dict[str, Any]] = self.data["nodes"]
        endings: list[dict[str, Any]] = self.data["endings"]
        ending_ids = {e["id"] for e in endings}
        start = self.data["start"]
        reached: set[str] = set()
        if start in edges:
            queue = deque([start])
            reached.add(start)
            while queue:
                for target in edges.get(queue.popleft(), []):
                    if target not in reached:
                        reached.add(target)
                        queue.append(target)
            for index, node in enumerate(nodes):
                if node["id"] not in reached:
                    self.add(
                        ("nodes", index, "id"),
                        f"node {node['id']!r} cannot be reached from the start",
                        "add a transition to it, or remove it",
                    )
            for index, ending in enumerate(endings):
                if ending["id"] not in reached:
                    self.add(
                        ("endings", index, "id"),
                        f"ending {ending['id']!r} is never reached",
                        "add a transition to it, or remove it",
                    )
        # Nodes from which no ending can be reached: loops a trainee could never leave.
        reverse: dict[str, set[str]] = {}
        for source_id, targets in edges.items():
            for target in targets:
                reverse.setdefault(target, set()).add(source_id)
        can_end: set[str] = set()
        queue = deque(ending_ids)
        while queue:
            for source_id in reverse.get(queue.popleft(), set()):
                if source_id not in can_end:
                    can_end.add(source_id)
                    queue.append(source_id)
        relevant = reached or set(edges)
        for index, node in enumerate(nodes):
            has_exit = bool(edges.get(node["id"]))
            if has_exit and node["id"] not in can_end and node["id"] in relevant:
                self.add(
                    ("nodes", index, "id"),
                    f"node {node['id']!r} is caught in a loop that can never reach an ending",
                    "give one of the nodes in the loop a transition to an ending",
                )


def _suggest(name: str, options: set[str], fallback: str) -> str:
    close = get_close_matches(name, sorted(options), n=1)
    return f"did you mean {close[0]!r}?" if close else fallback


def check_semantics(data: dict[str, Any], source: SourceMap, file: str) -> list[Problem]:
    """Problems in a scenario that already passed the JSON Schema."""
    return _Checker(data, source, file).run()
