"""Protected spans and glossaries, per sentence: protect before the engine, restore after.

    masked = [protect(s.text, glossary, extra) for s in sentences]
    restored = translate_protected(masked, engine.translate)   # at most two engine calls
"""

from service.core.terms.glossary import (
    MAX_CHARS,
    MAX_ENTRIES,
    Glossary,
    GlossaryEntry,
    GlossaryError,
    GlossaryMatch,
    entries_from_request,
    glossary_as_dict,
    load_glossary,
    merge,
)
from service.core.terms.masking import (
    Masked,
    Restored,
    Slot,
    assemble,
    fallback_units,
    protect,
    restore,
    sent_whole,
    translate_protected,
)
from service.core.terms.spans import Span, find_spans

__all__ = [
    "MAX_CHARS",
    "MAX_ENTRIES",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "GlossaryMatch",
    "Masked",
    "Restored",
    "Slot",
    "Span",
    "assemble",
    "entries_from_request",
    "fallback_units",
    "find_spans",
    "glossary_as_dict",
    "load_glossary",
    "merge",
    "protect",
    "restore",
    "sent_whole",
    "translate_protected",
]
