"""Where the translated words go: split each translated sentence over the text slots of its source.

A slot is one run of visible text that markup delimits (an HTML text node, a Markdown text token).
Markup never moves: only the text inside the slots changes, so the element tree is preserved whatever
the engine writes. Placement works per sentence. Fixed slots (inline code, protected spans) keep their
own text; where that text reappears verbatim in the translation it is taken out and anchors the cut.
A free slot whose source text reappears verbatim (a name, a version, a number) anchors the same way.
The words between anchors are shared among the free slots in proportion to their source length; punctuation
that a slot's source starts or ends with (the "." after a link, "(" before a name) goes back to that slot.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

SentenceSpan = tuple[int, int, int, int]

# Shorter source texts ("a", "de") reappear by chance, so they never anchor a free slot (acronyms aside).
_MIN_ANCHOR = 4


def _anchors(text: str) -> bool:
    """Whether a free slot's text is specific enough to anchor where it reappears: four characters or more, or an
    acronym ("STF", "PT", "5G": one word in capitals), which short common words never are."""
    return len(text) >= _MIN_ANCHOR or (len(text) >= 2 and text.isupper() and " " not in text)

Ref = TypeVar("Ref")


@dataclass(frozen=True)
class Slot:
    """A run of visible text: its [start, end) span in visible_text; fixed slots keep their text.

    A fixed slot with a tail can take text written right after it: what the translation puts after it when it
    ends a sentence ("Run ls." over "Use `ls`") goes there, not in front of it.
    """

    start: int
    end: int
    fixed: bool = False
    tail: bool = False
    solid: bool = False  # the layout cannot take its text out: left empty, the slot keeps its source words


@dataclass(frozen=True)
class Placed:
    """The translated text of a slot, and whether a space should separate it from the next slot.

    A fixed slot's text is its tail: what goes right after it, with a space first when the translation has one.
    """

    text: str
    space_after: bool


def place(visible: str, slots: Sequence[Slot], translated: str, sentence_map: Sequence[SentenceSpan]) -> list[Placed]:
    """Return the new text of every slot, in slot order; slots no sentence covers keep their text."""
    pieces: list[list[str]] = [[] for _ in slots]
    covered = [False] * len(slots)
    space_after = [False] * len(slots)
    starts = [slot.start for slot in slots]
    for src_start, src_end, dst_start, dst_end in sentence_map:
        first = max(bisect.bisect_right(starts, src_start) - 1, 0)
        members = []
        for i in range(first, len(slots)):
            if slots[i].start >= src_end:
                break
            if slots[i].end > src_start:
                members.append(i)
        if not members:
            continue
        target = translated[dst_start:dst_end].strip()
        cuts = _cut(visible, slots, members, src_start, src_end, target)
        for index, (text, space) in zip(members, cuts, strict=True):
            covered[index] = True
            if text:
                pieces[index].append(text)
            space_after[index] = space
        space_after[members[-1]] = True  # a sentence boundary is a space
    placed = []
    for index, slot in enumerate(slots):
        if covered[index]:
            placed.append(Placed(" ".join(pieces[index]), space_after[index]))
        else:
            placed.append(Placed(visible[slot.start:slot.end], True))
    return placed


def _cut(visible: str, slots: Sequence[Slot], members: list[int], src_start: int, src_end: int,
         target: str) -> list[tuple[str, bool]]:
    """Share one translated sentence among the slots it covers; returns (text, space after) per slot."""
    result, absorbed = _cut_anchored(visible, slots, members, src_start, src_end, target, free_anchors=True)
    # (a slot of punctuation only is empty when the translation has none there: no reason to share again)
    free = [k for k, i in enumerate(members)
            if not slots[i].fixed and not _punctuation_only(visible[slots[i].start:slots[i].end])]
    empty = [k for k in free if not result[k][0]]
    if ((absorbed and empty) or any(slots[members[k]].solid for k in empty)) and len(target.split()) >= len(members):
        # A name the engine moved ahead of its neighbours took their words and left their slot empty ("Visitei
        # **Lisboa**" as "Lisboa visited"): share by proportion only. A slot left empty while the names keep just
        # their own text is a word the translation has not ("O **Google** anunciou" as "Google announced"), unless
        # the layout cannot empty that slot (Markdown emphasis): its source words would stay.
        result, _ = _cut_anchored(visible, slots, members, src_start, src_end, target, free_anchors=False)
    return result


def _cut_anchored(visible: str, slots: Sequence[Slot], members: list[int], src_start: int, src_end: int,
                  target: str, *, free_anchors: bool) -> tuple[list[tuple[str, bool]], bool]:
    """The sentence shared with anchors; and whether a free slot anchored by its own text took more words."""
    count = len(members)
    fixed = [slots[i].fixed for i in members]
    if count == 1:
        return [("" if fixed[0] else target, True)], False
    spans = [(max(slots[i].start, src_start), min(slots[i].end, src_end)) for i in members]
    anchors: dict[int, tuple[int, int]] = {}
    cursor = 0
    for position, (start, end) in enumerate(spans):
        text = visible[start:end]
        if fixed[position] or (free_anchors and _anchors(text)):
            found = target.find(text, cursor) if fixed[position] else _find_word(target, text, cursor)
            if found >= 0:
                anchors[position] = (found, found + len(text))
                cursor = found + len(text)
    # A protected text the engine moved out of order is still taken out of the free text (blanked, so
    # offsets hold): the element keeps it, and it must not appear twice.
    for position, (start, end) in enumerate(spans):
        if fixed[position] and position not in anchors:
            text = visible[start:end]
            found = _find_outside(target, text, anchors.values())
            if found >= 0:
                target = target[:found] + " " * len(text) + target[found + len(text):]
    pieces: list[list[str]] = [[] for _ in members]
    ends: list[int | None] = [None] * count
    orphans: list[str] = []
    tail: tuple[int, str] | None = None
    for position, (start, end) in anchors.items():
        ends[position] = end
        if not fixed[position]:
            pieces[position].append(target[start:end])
    order = sorted(anchors)
    bounds = [(-1, 0), *((p, anchors[p][0]) for p in order)]
    closing = [*(anchors[p][1] for p in order)]
    for k, (position, gap_end) in enumerate([*((p, anchors[p][0]) for p in order), (count, len(target))]):
        previous, gap_start = bounds[k][0], (closing[k - 1] if k else 0)
        gap = target[gap_start:gap_end]
        free = [p for p in range(previous + 1, position) if not fixed[p]]
        if free:
            words = _share(gap, gap_start, [spans[p] for p in free], visible)
            for p, (text, last) in zip(free, words, strict=True):
                if text:
                    pieces[p].append(text)
                    ends[p] = last
        elif gap.strip():
            if previous >= 0 and not fixed[previous]:
                pieces[previous].append(gap.strip())
                ends[previous] = gap_end
            elif position < count and not fixed[position]:
                pieces[position].insert(0, gap.strip())
            elif position == count and previous >= 0 and slots[members[previous]].tail:
                tail = (previous, gap)
            else:
                orphans.append(gap.strip())
    if tail is not None:  # text after the fixed slot that ends the sentence: after it, unless a free slot has none
        previous, gap = tail
        if all(pieces[p] for p in range(count) if not fixed[p]):
            pieces[previous].append((" " if gap[:1].isspace() else "") + gap.strip())
            ends[previous] = len(target)
        else:
            orphans.append(gap.strip())
    if orphans:  # text between protected spans with no free slot there: give it to the nearest free slot
        free_members = [p for p in range(count) if not fixed[p]]
        if free_members:
            pieces[free_members[-1]].extend(orphans)
    result = []
    for position, (parts, last) in enumerate(zip(pieces, ends, strict=True)):
        before_any = not any(pieces[:position]) and not any(fixed[:position + 1])
        if not parts and before_any and position + 1 < count:
            # an empty slot before any text of the sentence ("Olá" of "<b>Olá</b>mundo." when the translation is one
            # word): a space after it only where the source had one
            result.append(("", spans[position][1] < spans[position + 1][0]))
        else:
            result.append((" ".join(parts), last is None or last >= len(target) or target[last].isspace()
                           or target[last - 1].isspace()))
    absorbed = any(len(pieces[position]) > 1 for position in anchors if not fixed[position])
    return result, absorbed


def _find_word(target: str, text: str, cursor: int) -> int:
    """First occurrence of text from cursor that does not start or end inside a word, or -1."""
    found = target.find(text, cursor)
    while found >= 0:
        before = target[found - 1:found]
        after = target[found + len(text):found + len(text) + 1]
        if not (before.isalnum() and text[0].isalnum()) and not (after.isalnum() and text[-1].isalnum()):
            return found
        found = target.find(text, found + 1)
    return -1


def _find_outside(target: str, text: str, taken: Iterable[tuple[int, int]]) -> int:
    """First occurrence of text in target that overlaps no taken range, or -1."""
    ranges = list(taken)
    found = target.find(text)
    while found >= 0:
        if all(found + len(text) <= a or found >= b for a, b in ranges):
            return found
        found = target.find(text, found + 1)
    return -1


# Punctuation that closes (ends a word: "site.", "(AI)") or opens (starts one: "(AI", "«Sim") a phrase. A slot whose
# source starts with closing punctuation (".", ", agora", ") disse") takes it from the word the translation glued it
# to, and one whose source ends with opening punctuation ("A empresa (") takes it from the next word.
_CLOSE = ".,;:!?…)]}»”’\"'"
_OPEN = "([{«“‘\"'¿¡"
_FINAL = ".!?…"
_QUOTES = "\"'«»“”‘’"


def _punctuation_only(text: str) -> bool:
    """A slot of punctuation the words around it end or start ("." after a link, "(" before a name)."""
    body = text.strip()
    return bool(body) and not any(char.isalnum() for char in body) and (body[0] in _CLOSE or body[-1] in _OPEN)


def _same_mark(a: str, b: str) -> bool:
    """The same punctuation in the source and the translation: a sentence's end, a quote mark in another style."""
    return a == b or (a in _FINAL and b in _FINAL) or (a in _QUOTES and b in _QUOTES)


def _share(text: str, offset: int, spans: list[tuple[int, int]], visible: str) -> list[tuple[str, int | None]]:
    """Split text at word boundaries into len(spans) parts in proportion to the spans' lengths.

    Returns each part and the target offset where it ends (None for an empty part). Text the engine
    left as it was ("10<sup>6</sup>", names) goes back exactly where it came from. A slot of punctuation only
    ("." after a link) takes no word: only the same punctuation, where the translation glued it to a word; and
    punctuation that starts (ends) a slot's source is taken off the edge of the part before (after) it.
    """
    source = visible[spans[0][0]:spans[-1][1]]
    if text.strip() == source:
        skip = offset + len(text) - len(text.lstrip())
        return [(visible[a:b].strip(), skip + b - spans[0][0] if visible[a:b].strip() else None) for a, b in spans]
    words: list[tuple[int, int]] = []
    position = 0
    opening: int | None = None
    for word in text.split():
        start = text.index(word, position)
        position = start + len(word)
        if words and not word.strip(_CLOSE):  # punctuation on its own (" ." " ;") goes with the word before it
            words[-1] = (words[-1][0], position)
        elif not word.strip(_OPEN) or not word.strip(_CLOSE):  # and opening punctuation ("( AI") with the word
            # after it, as closing punctuation that starts the text (", Rome" after an anchored "Paris")
            opening = start if opening is None else opening
        else:
            words.append((start if opening is None else opening, position))
            opening = None
    if opening is not None:
        words.append((opening, len(text.rstrip())))
    sources = [visible[a:b] for a, b in spans]
    shared = [k for k, part in enumerate(sources) if not _punctuation_only(part)]
    if not shared:  # nothing but punctuation: shared like words
        shared = list(range(len(spans)))
    weights = [max(spans[k][1] - spans[k][0], 1) for k in shared]
    total = sum(weights)
    cuts = [0]
    running = 0
    for weight in weights[:-1]:
        running += weight
        cuts.append(max(cuts[-1], min(len(words), round(len(words) * running / total))))
    cuts.append(len(words))
    if len(words) >= len(shared):  # every slot that had words keeps at least one
        for k in range(1, len(shared)):
            cuts[k] = max(cuts[k], cuts[k - 1] + 1)
        for k in range(len(shared) - 1, 0, -1):
            cuts[k] = min(cuts[k], cuts[k + 1] - 1)
    ranges: list[tuple[int, int] | None] = [None] * len(spans)
    for k, (a, b) in zip(shared, pairwise(cuts), strict=True):
        if a < b:
            ranges[k] = (words[a][0], words[b - 1][1])
    _move_punctuation(text, sources, ranges)
    return [("", None) if part is None else (" ".join(text[part[0]:part[1]].split()), offset + part[1])
            for part in ranges]


def _move_punctuation(text: str, sources: list[str], ranges: list[tuple[int, int] | None]) -> None:
    """Give a slot whose source starts with closing punctuation the same punctuation the part before it ends with,
    and one whose source ends with opening punctuation the same the part after it starts with (ranges in place)."""
    for k in range(len(sources)):
        mark = sources[k].lstrip()[:1]
        before = next((j for j in range(k - 1, -1, -1) if ranges[j] is not None), None)
        part = ranges[before] if before is not None else None
        if mark and mark in _CLOSE and part is None and ranges[k] is None:
            # nothing before it here (the word the translation glued the mark to anchored: "Paris" of "Paris,"):
            # the mark starts the text, so the part after it begins with it
            after = next((j for j in range(k + 1, len(sources)) if ranges[j] is not None), None)
            following = ranges[after] if after is not None else None
            if after is not None and following is not None:
                start, end = following
                run = len(text[start:end]) - len(text[start:end].lstrip(_CLOSE))
                if 0 < run < end - start and _same_mark(text[start], mark):
                    ranges[k] = (start, start + run)
                    ranges[after] = (start + run, end)
            continue
        if not mark or mark not in _CLOSE or before is None or part is None:
            continue
        start, end = part
        run = len(text[start:end]) - len(text[start:end].rstrip(_CLOSE))
        if 0 < run < end - start and _same_mark(text[end - run], mark):
            own = ranges[k]
            ranges[before] = (start, end - run)
            ranges[k] = (end - run, end if own is None else own[1])
    for k in range(len(sources) - 1):
        mark = sources[k].rstrip()[-1:]
        after = next((j for j in range(k + 1, len(sources)) if ranges[j] is not None), None)
        part = ranges[after] if after is not None else None
        if not mark or mark not in _OPEN or after is None or part is None:
            continue
        start, end = part
        run = len(text[start:end]) - len(text[start:end].lstrip(_OPEN))
        if 0 < run < end - start and _same_mark(text[start + run - 1], mark):
            own = ranges[k]
            ranges[after] = (start + run, end)
            ranges[k] = (start if own is None else own[0], start + run)


_WS = " \t\n\r\f"
# HTML and Markdown collapse ASCII whitespace only: a no-break space is a character of the text.
_TO_SPACE = str.maketrans("\t\n\r\f", "    ")


def _words(text: str) -> str:
    return " ".join(word for word in text.translate(_TO_SPACE).split(" ") if word)


class Inline(Generic[Ref]):
    """An inline element open around runs (told apart by identity); ``before`` is a ref where render can write
    text just before the element, outside it (None: nowhere)."""

    __slots__ = ("before",)

    def __init__(self, before: Ref | None = None) -> None:
        self.before = before


@dataclass
class _Run(Generic[Ref]):
    ref: Ref | None  # what render rewrites (a text node, a source range); None: the slot keeps its text
    block: int
    lead: str
    trail: str
    depth: int  # how many inline elements enclose it: a space goes on the outer side of a boundary
    gap_after: bool = False  # whitespace between this slot and the next comes from outside both
    after: Ref | None = None  # for a run that keeps its text: what render writes to put text right after it
    path: tuple[Inline[Ref], ...] | None = None  # the inline elements around it, outermost first, when known


def _common(a: _Run[Ref], b: _Run[Ref]) -> int:
    """How many inline elements enclose both runs (with depths only: the one less deep is inside the other's)."""
    if a.path is None or b.path is None:
        return min(a.depth, b.depth)
    common = 0
    for x, y in zip(a.path, b.path, strict=False):
        if x is not y:
            break
        common += 1
    return common


class VisibleText(Generic[Ref]):
    """Builds visible text from runs of raw text in document order, as a browser collapses whitespace.

    Blocks are separated by a blank line, line breaks inside a block are kept as one line break.
    ``new_texts`` gives each run its raw replacement text, with the whitespace around it preserved.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.block = 0
        self.block_has_text = False
        self.pending = ""
        self.pending_between = False
        self.slots: list[Slot] = []
        self.runs: list[_Run[Ref]] = []
        self.protected: list[tuple[int, int]] = []

    def end_block(self) -> None:
        """End the current block: the next text starts a new paragraph."""
        if self.block_has_text:
            self.block += 1
            self.block_has_text = False
        self.pending, self.pending_between = "", False

    def line_break(self) -> None:
        """A line break inside the block (<br>, a Markdown hard break)."""
        if self.block_has_text:
            self.pending, self.pending_between = "\n", True

    def add(self, ref: Ref | None, raw: str, *, fixed: bool = False, protected: bool = False, depth: int = 0,
            after: Ref | None = None, path: Sequence[Inline[Ref]] | None = None, solid: bool = False) -> None:
        """Add a run of raw text; ref None (or fixed) keeps its text, protected also marks the range.

        ``after``, for a run that keeps its text, is a ref whose text render writes right after the run. ``path``,
        the inline elements around the run, tells apart elements of one depth (it then gives the depth). ``solid``:
        the layout cannot write the run empty (it keeps its text then), so the placement avoids leaving it empty.
        """
        stripped = raw.lstrip(_WS)
        lead = raw[: len(raw) - len(stripped)]
        body = stripped.rstrip(_WS)
        trail = stripped[len(body):]
        if not body:
            if raw and self.block_has_text and not self.pending:
                self.pending, self.pending_between = " ", True
            return
        within = self.pending or (" " if lead else "")
        separator = within if self.block_has_text else ("\n\n" if self.length else "")
        if self.runs and self.runs[-1].block == self.block:
            self.runs[-1].gap_after = self.pending_between and bool(separator)
        text = separator + _words(body)
        start = self.length + len(separator)
        self.parts.append(text)
        self.length += len(text)
        keeps = fixed or protected or ref is None
        self.slots.append(Slot(start, self.length, keeps, keeps and after is not None, solid and not keeps))
        self.runs.append(_Run(None if keeps else ref, self.block, lead, trail, depth if path is None else len(path),
                              after=after if keeps else None, path=None if path is None else tuple(path)))
        if protected:
            self.protected.append((start, self.length))
        self.block_has_text = True
        self.pending = " " if trail else ""
        self.pending_between = False

    def new_texts(self, translated: str, sentence_map: Sequence[SentenceSpan]) -> list[tuple[Ref | None, str]]:
        """Each rewritable run's ref and its new raw text (translation plus the whitespace to keep), and the ``after``
        ref of a run that keeps its text with the text to write right after it."""
        placed = place("".join(self.parts), self.slots, translated, sentence_map)
        runs = self.runs
        out: list[tuple[Ref | None, str]] = []
        space_next = False
        written = False  # whether the block has text before the run
        for index, run in enumerate(runs):
            new = placed[index]
            first = index == 0 or runs[index - 1].block != run.block
            last = index == len(runs) - 1 or runs[index + 1].block != run.block
            written = written and not first
            lead = run.lead if (first or placed[index - 1].space_after) else ""
            lead = lead or (" " if space_next else "")
            # an emptied run before any text of its block ("O " of "<p>O <b>Google</b> anunciou" as "Google
            # announced") keeps no space after it, nor before it unless it starts the block: the block would start
            # with spaces
            emptied_ahead = not new.text and not written and run.ref is not None
            if emptied_ahead and not first:
                lead = ""
            trail = run.trail if (last or new.space_after) and not emptied_ahead else ""
            written = written or bool(new.text) or run.ref is None
            space_next = False
            between: Ref | None = None
            if (new.space_after and not last and not run.trail and not run.gap_after and not runs[index + 1].lead
                    and (placed[index + 1].text or runs[index + 1].ref is None)):
                # The text has a space here that the source had not: put it outside the inline elements, in the
                # elements both runs are in: the trail of this run if it closes none, else the lead of the next
                # if it opens none, else just before the outermost element the next run opens, where the layout
                # can write there. Else (HTML, which a space inside an element does not break) the lead of the
                # next run when it is less deep or when this one keeps its text (its trail is not written), else
                # this one's trail. In Markdown `*` then a space opens no emphasis, so the space is not put there.
                following = runs[index + 1]
                common = _common(run, following)
                opened = following.path[common].before if following.path and len(following.path) > common else None
                if run.ref is not None and run.depth == common:
                    trail = " "
                elif following.ref is not None and following.depth == common:
                    space_next = True
                elif opened is not None:
                    between = opened
                elif following.ref is not None and (following.depth < run.depth or run.ref is None):
                    space_next = True
                else:
                    trail = " "
            if run.ref is not None:
                out.append((run.ref, lead + new.text + trail))
            elif run.after is not None and new.text:
                out.append((run.after, new.text))
            if between is not None:
                out.append((between, " "))
        return out
