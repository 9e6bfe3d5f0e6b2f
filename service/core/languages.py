"""Language tags as people write them (`pt-BR`, `pt_PT`, `PT`, `por`): BCP 47, read with langcodes.

A request's language field takes any valid BCP 47 tag, or the common variants of one (underscores, any case,
ISO 639-2 codes): `standard_tag` gives its standard form (`pt_br` -> `pt-BR`, `POR` -> `pt`, `iw` -> `he`) and
`primary` the language the models and the detector know it by (`pt-BR` -> `pt`). Anything else is refused with
a message that says what is expected.
"""

from __future__ import annotations

import re
from typing import Final

import langcodes

AUTO: Final = "auto"
_PRIMARY = re.compile(r"[a-z]{2,3}")
EXPECTED: Final = "a BCP 47 language tag such as 'pt', 'pt-BR' or 'en'"


def standard_tag(value: str) -> str:
    """The standard form of a language tag; ValueError (saying why) for anything that is not one."""
    if value.lower() == AUTO:
        return AUTO
    try:
        valid = value == value.strip() and langcodes.tag_is_valid(value)
        tag = langcodes.standardize_tag(value, macro=True) if valid else ""
        language = langcodes.Language.get(tag).language if tag else None
    except ValueError:  # langcodes' LanguageTagError: not even the syntax of a tag
        valid, language = False, None
    if not valid or language is None or not _PRIMARY.fullmatch(language):
        raise ValueError(f"{value!r} is not {EXPECTED}")
    return str(tag)


def primary(tag: str) -> str:
    """The language subtag of a standard tag: `pt-BR` -> `pt`."""
    return tag.split("-", 1)[0]
