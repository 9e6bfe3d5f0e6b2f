"""Plain text: the visible text is the text itself, and the translation is the output."""

from __future__ import annotations

from collections.abc import Sequence

from service.core.formats.slots import SentenceSpan


class TextLayout:
    """Plain text: nothing protected, no extras; render returns the translated text."""

    protected: tuple[tuple[int, int], ...] = ()
    extras: tuple[str, ...] = ()

    def __init__(self, source: str) -> None:
        self.visible_text = source

    def render(self, translated_visible: str, sentence_map: Sequence[SentenceSpan], extras: Sequence[str]) -> str:
        """Return the translated text as it is."""
        if extras:
            raise ValueError(f"plain text has no extras, got {len(extras)}")
        return translated_visible
