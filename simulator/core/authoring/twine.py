"""Import a branching story written in Twine as a scenario skeleton.

Many trainers already sketch conversations in Twine. Passages become customer turns, links
become transitions and passages without links become endings; what has no meaning here
(macros, variables, HTML) is removed and listed in a report, so the trainer knows what to redo
in the studio. Nothing in the file is ever evaluated, and sizes are capped: an import file may
come from anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from simulator.core.authoring.document import ScenarioDocument
from simulator.core.authoring.templates import new_scenario_text

MAX_BYTES = 5_000_000
MAX_PASSAGES = 5_000
MAX_TEXT = 4000  # the schema's limit for a line of text
HEADER = re.compile(r"^::\s*(?P<name>(?:\\.|[^\\\[{])+?)\s*(?:\[(?P<tags>[^\]]*)\])?\s*(?P<meta>\{.*\})?\s*$")
LINK = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)
SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
MARKUP = re.compile(
    r"<<.*?>>"  # SugarCube / Harlowe 1 macros
    r"|\((?:[A-Za-z][\w-]*):.*?\)(?:\[.*?\])?"  # Harlowe macros, with a hook: (set: $x to 1)[...]
    r"|[$_][A-Za-z_]\w*(?:\.\w+)*"  # story and temporary variables
    r"|<[^>\n]*>",  # HTML tags
    re.DOTALL,
)
# Twine's own passages, which hold code or settings rather than story text.
SPECIAL_PASSAGES = {
    "StoryInit",
    "StoryMenu",
    "StoryCaption",
    "StoryBanner",
    "StorySubtitle",
    "StoryAuthor",
    "StoryShare",
    "PassageReady",
    "PassageDone",
    "PassageHeader",
    "PassageFooter",
}
SPECIAL_TAGS = {"script", "stylesheet", "widget", "header", "footer", "startup", "debug-header", "debug-footer"}
# Conditions a skeleton's extra links get, so the file validates and each branch is reachable by
# a different kind of answer: links to a "lost" ending fire on a disrespectful answer, links to an
# "escalated" ending on an offer to escalate, other links on one criterion met (in turn).
NODE_CRITERIA = [
    "acknowledge_emotion",
    "take_ownership",
    "set_expectations",
    "ask_question",
    "offer_escalation",
    "respectful_tone",
]
LOST_CONDITION = "missed.respectful_tone"
ESCALATED_CONDITION = "met.offer_escalation"
PLACEHOLDERS = ("met.take_ownership", "met.acknowledge_emotion", "met.set_expectations", "met.ask_question")


class TwineError(Exception):
    """The file is not a Twine story this importer can read; the message says why (and where)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.message = message
        self.line = line


@dataclass
class Passage:
    name: str
    text: str
    tags: list[str] = field(default_factory=list)
    line: int = 1


@dataclass(frozen=True)
class ImportResult:
    """The scenario text, and every note on what could not be carried over."""

    text: str
    report: list[str]
    title: str = ""


def _unescape(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name).strip()


def parse_twee(text: str) -> tuple[str, str | None, list[Passage]]:
    """Twee 3: ``:: Name [tags] {metadata}`` headers; StoryTitle and StoryData are special passages."""
    passages: list[Passage] = []
    current: Passage | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("::"):
            match = HEADER.match(line)
            if match is None:
                raise TwineError(f"cannot read this passage header: {line[:80]!r}", number)
            if current is not None:
                current.text = "\n".join(body).strip()
                passages.append(current)
            if len(passages) >= MAX_PASSAGES:
                raise TwineError(f"more than {MAX_PASSAGES} passages: too large for a conversation scenario", number)
            tags = (match.group("tags") or "").split()
            current, body = Passage(_unescape(match.group("name")), "", tags, number), []
        elif current is not None:
            body.append(line)
    if current is not None:
        current.text = "\n".join(body).strip()
        passages.append(current)
    if not passages:
        raise TwineError("no passages found: a Twee 3 passage starts with a line such as ':: Start'", 1)
    title, start = "", None
    story: list[Passage] = []
    for passage in passages:
        if passage.name == "StoryTitle":
            title = passage.text.strip()
        elif passage.name == "StoryData":
            try:
                data = json.loads(passage.text or "{}")
            except (json.JSONDecodeError, RecursionError) as exc:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                raise TwineError(f"StoryData is not valid JSON ({message})", passage.line) from None
            if isinstance(data, dict) and isinstance(data.get("start"), str):
                start = data["start"]
        else:
            story.append(passage)
    return title, start, story


class _ArchiveParser(HTMLParser):
    """Twine 2 archive and published HTML: ``<tw-storydata>`` holding ``<tw-passagedata>`` elements.

    Only these elements are read; anything else (the story's scripts and styles) is skipped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.start_pid: str | None = None
        self.passages: list[tuple[str, Passage]] = []
        self.skipped_tags: set[str] = set()
        self._current: tuple[str, Passage] | None = None
        self._chunks: list[str] = []
        self._skipping: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "tw-storydata" and not self.title:
            self.title = values.get("name", "")
            self.start_pid = values.get("startnode")
        elif tag == "tw-passagedata":
            if len(self.passages) >= MAX_PASSAGES:
                raise TwineError(f"more than {MAX_PASSAGES} passages: too large for a conversation scenario")
            line = self.getpos()[0]
            passage = Passage(values.get("name", "").strip(), "", values.get("tags", "").split(), line)
            self._current, self._chunks, self._skipping = (values.get("pid", ""), passage), [], None
        elif self._current is not None:
            self.skipped_tags.add(tag)  # raw HTML inside a passage (Twine escapes its own text)
            if tag in ("script", "style"):
                self._skipping = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "tw-passagedata" and self._current is not None:
            self._current[1].text = "".join(self._chunks).strip()
            self.passages.append(self._current)
            self._current = None
        elif tag == self._skipping:
            self._skipping = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._skipping is None:
            self._chunks.append(data)


def parse_html(text: str) -> tuple[str, str | None, list[Passage], list[str]]:
    """Title, start passage name, passages and notes from a Twine 2 archive or published story."""
    parser = _ArchiveParser()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser on very broken markup
        raise TwineError(f"the HTML could not be read ({exc})") from None
    if not parser.passages:
        raise TwineError("no <tw-passagedata> passages found: is this a Twine 2 archive or published story?")
    notes = [f"removed HTML elements inside passages: {', '.join(sorted(parser.skipped_tags))}"]
    start = next((p.name for pid, p in parser.passages if pid == parser.start_pid), None)
    return parser.title, start, [p for _pid, p in parser.passages], notes if parser.skipped_tags else []


def _slug(name: str, taken: set[str]) -> str:
    """A unique scenario id for a passage name (lowercase, digits, _ and -; at most 64 characters)."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:50].strip("_") or "passage"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}_{number}", number + 1
    taken.add(slug)
    return slug


def links_of(text: str) -> list[tuple[str, str]]:
    """(link text, target passage) for ``[[T]]``, ``[[T->P]]``, ``[[P<-T]]`` and ``[[T|P]]``.

    A SugarCube setter (``[[T|P][$x to 1]]``) is not part of the target.
    """
    found = []
    for raw in LINK.findall(text):
        raw = raw.split("][", 1)[0]
        if "->" in raw:
            label, _, target = raw.rpartition("->")
        elif "<-" in raw:
            target, _, label = raw.partition("<-")
        elif "|" in raw:
            label, _, target = raw.rpartition("|")
        else:
            label = target = raw
        found.append((" ".join(label.split()), target.strip()))
    return found


def clean_text(text: str, where: str, report: list[str]) -> str:
    """Passage text without links and Twine markup; what was removed goes into ``report``."""
    removed = [m.group(0) for m in SCRIPT.finditer(text)]
    text = SCRIPT.sub(" ", text)
    text = LINK.sub(" ", text)
    removed += MARKUP.findall(text)
    text = MARKUP.sub(" ", text)
    if removed:
        shown = ", ".join(repr(" ".join(m.split())[:40]) for m in removed[:3])
        more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
        report.append(f"{where}: removed Twine markup the app cannot run: {shown}{more}")
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _fit(text: str, limit: int, where: str, report: list[str]) -> str:
    if len(text) <= limit:
        return text
    report.append(f"{where}: text shortened to {limit} characters")
    return text[: limit - 1].rstrip() + "…"


def _outcome(tags: list[str]) -> str:
    lowered = {tag.lower() for tag in tags}
    if "escalated" in lowered:
        return "escalated"
    if lowered & {"lost", "customer_lost"}:
        return "customer_lost"
    return "resolved"


def _story_passages(passages: list[Passage], report: list[str]) -> list[Passage]:
    """The passages that are story text: Twine's script/style/setting passages and duplicates left out."""
    kept: list[Passage] = []
    names: set[str] = set()
    for passage in passages:
        if passage.name in SPECIAL_PASSAGES or SPECIAL_TAGS & {t.lower() for t in passage.tags}:
            report.append(f"{passage.name}: skipped (a Twine script, style or settings passage)")
        elif not passage.name:
            report.append(f"a passage without a name (line {passage.line}) was skipped")
        elif passage.name in names:
            report.append(f"{passage.name}: a second passage with this name was skipped")
        else:
            names.add(passage.name)
            kept.append(passage)
    return kept


def to_scenario(
    title: str, start: str | None, passages: list[Passage], scenario_id: str, report: list[str] | None = None
) -> ImportResult:
    """Map passages to a scenario that loads: turns, transitions with placeholder conditions, endings."""
    report = [] if report is None else report
    passages = _story_passages(passages, report)
    if not passages:
        raise TwineError("the story has no passages with text")
    by_name = {p.name: p for p in passages}
    if start is None or start not in by_name:
        start = passages[0].name
        report.append(f"no start passage given: the conversation starts at the first passage, {start!r}")
    links: dict[str, list[tuple[str, str]]] = {}
    for passage in passages:
        links[passage.name] = []
        for label, target in links_of(passage.text):
            if target in by_name:
                links[passage.name].append((label, target))
            else:
                report.append(f"{passage.name}: the link {label!r} leads to no passage ({target!r}) and was dropped")
    reached, queue = {start}, [start]
    while queue:
        for _label, target in links[queue.pop()]:
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for passage in passages:
        if passage.name not in reached:
            report.append(f"{passage.name}: no link from the start leads here, so it was left out")
    passages = [p for p in passages if p.name in reached]
    if not links[start]:
        raise TwineError(f"the start passage {start!r} has no links: the conversation would end at once")
    taken: set[str] = set()
    ids = {p.name: _slug(p.name, taken) for p in passages}
    nodes: list[dict[str, Any]] = []
    endings: list[dict[str, Any]] = []
    for passage in passages:
        where = passage.name
        text = _fit(clean_text(passage.text, where, report), MAX_TEXT, where, report)
        if not links[passage.name]:
            ending: dict[str, Any] = {
                "id": ids[passage.name],
                "outcome": _outcome(passage.tags),
                "title": _fit(passage.name, 120, where, report),
            }
            if text:
                ending["say"] = text
            ending["debrief"] = f"Imported from the Twine passage {passage.name!r}: say what led here and why."
            endings.append(ending)
            continue
        if not text:
            text = passage.name
            report.append(f"{where}: the passage has no text left, so its name is the customer's line")
        (first_label, first_target), *others = links[passage.name]
        node: dict[str, Any] = {"id": ids[passage.name], "say": text, "criteria": list(NODE_CRITERIA)}
        transitions = []
        generic = 0
        for label, target in others:
            outcome = _outcome(by_name[target].tags) if not links[target] else ""
            if outcome == "customer_lost":
                condition = LOST_CONDITION
            elif outcome == "escalated":
                condition = ESCALATED_CONDITION
            else:
                condition, generic = PLACEHOLDERS[generic % len(PLACEHOLDERS)], generic + 1
            transitions.append({"when": condition, "to": ids[target], "note": label})
            report.append(f"{where}: the link {label!r} got the placeholder condition {condition!r}: write it")
        # A disrespectful answer is checked first, as in the bundled scenarios.
        transitions.sort(key=lambda t: t["when"] != LOST_CONDITION)
        if transitions:
            node["transitions"] = transitions
        node["otherwise"] = {"to": ids[first_target], "note": first_label}
        nodes.append(node)
    _give_loops_a_way_out(nodes, endings, taken, report)
    document = ScenarioDocument.from_text(new_scenario_text(scenario_id, title or scenario_id, "chat"), "<twine>")
    document.set(("summary",), f"Imported from the Twine story {title or scenario_id!r}. Describe the customer here.")
    document.set(("persona", "role"), "a customer (imported from Twine: describe them here)")
    document.set(("variables",), {})
    document.set(("start",), ids[start])
    document.set(("nodes",), nodes)
    document.set(("endings",), endings)
    for problem in document.problems():
        report.append(f"check line {problem.line}: {problem.message}")
    return ImportResult(document.text(), report, title)


def _give_loops_a_way_out(
    nodes: list[dict[str, Any]], endings: list[dict[str, Any]], taken: set[str], report: list[str]
) -> None:
    """Turns from which no ending can be reached get a way out, or the file would not load."""
    targets = {n["id"]: [t["to"] for t in n.get("transitions", [])] + [n["otherwise"]["to"]] for n in nodes}
    can_end = {e["id"] for e in endings}
    changed = True
    while changed:
        changed = False
        for node_id, outs in targets.items():
            if node_id not in can_end and any(t in can_end for t in outs):
                can_end.add(node_id)
                changed = True
    stuck = [n for n in nodes if n["id"] not in can_end]
    if not stuck:
        return
    lost = next((e["id"] for e in endings if e["outcome"] == "customer_lost"), None)
    if lost is None:
        lost = _slug("gave_up", taken)
        endings.append(
            {
                "id": lost,
                "outcome": "customer_lost",
                "title": "The customer gave up",
                "debrief": "Added on import: the story had no way out of a loop.",
            }
        )
    for node in stuck:
        node.setdefault("transitions", []).append({"when": "mood >= 90", "to": lost, "note": "added on import"})
        report.append(f"{node['id']}: no ending can be reached from here; added a way out to {lost!r} at mood >= 90")


def import_text(text: str, name: str = "story") -> ImportResult:
    """Import Twee 3 or Twine 2 HTML text; raises :class:`TwineError` for what is not a Twine story."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise TwineError(f"the file is larger than {MAX_BYTES // 1_000_000} MB: not a conversation scenario")
    if "\x00" in text:
        raise TwineError("the file contains NUL bytes: it is not a Twine story")
    report: list[str] = []
    if "<tw-storydata" in text or "<tw-passagedata" in text or text.lstrip().startswith("<"):
        title, start, passages, notes = parse_html(text)
        report.extend(notes)
    else:
        title, start, passages = parse_twee(text)
    title = " ".join(title.split())[:120]
    scenario_id = re.sub(r"[^a-z0-9]+", "-", (title or name).lower()).strip("-")[:60].strip("-") or "imported"
    return to_scenario(title, start, passages, scenario_id, report)


def import_story(path: Path) -> ImportResult:
    """Read a ``.twee``/``.tw`` file or a Twine 2 ``.html`` file; TwineError says why it cannot be used."""
    if path.stat().st_size > MAX_BYTES:
        raise TwineError(f"the file is larger than {MAX_BYTES // 1_000_000} MB: not a conversation scenario")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TwineError("the file is not UTF-8 text: export the story from Twine again") from None
    return import_text(text, path.stem)
