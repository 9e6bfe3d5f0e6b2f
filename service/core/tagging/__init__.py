"""Topic tagging: load a taxonomy of weighted terms and tag texts with scored, located evidence.

Where each step happens:
    iptc.py      the IPTC Media Topics vocabulary ponte vendors, and the mapping relations
    taxonomy.py  the data model (topics, terms, forms, rules) and what tagging returns (Tag, Evidence)
    loader.py    reading and validating a taxonomy file (TaxonomyError names file, topic and problem)
    folding.py   accent, case and typography folding, with offsets back into the original text
    matcher.py   all forms of a case rule compiled into one trie-shaped regex (reusable for any term list)
    tagger.py    the Tagger: matchers per language, hits in source and translation, exclusion vetoes
    context.py   `near` and `requires` rules (distances in characters, or the same sentence)
    scoring.py   a topic's hits -> its score and evidence, or no tag
"""

from __future__ import annotations

from service.core.tagging.folding import Folded, fold, fold_char
from service.core.tagging.loader import DEFAULT_THRESHOLD, DEFAULT_WEIGHT, default_taxonomy_path, load_taxonomy
from service.core.tagging.matcher import Matcher, form_source
from service.core.tagging.tagger import Tagger
from service.core.tagging.taxonomy import (
    ANY_LANGUAGE,
    CASE_INSENSITIVE,
    CASE_RULES,
    CASE_SENSITIVE,
    DEFAULT_REPEAT_DECAY,
    DEFAULT_SATURATION,
    REGEX_PREFIX,
    SENTENCE,
    SOURCE,
    TRANSLATION,
    Evidence,
    Exclusion,
    Form,
    Include,
    IptcRef,
    Near,
    Requirement,
    Tag,
    Taxonomy,
    TaxonomyError,
    Term,
    Topic,
    taxonomy_as_dict,
)

__all__ = [
    "ANY_LANGUAGE",
    "CASE_INSENSITIVE",
    "CASE_RULES",
    "CASE_SENSITIVE",
    "DEFAULT_REPEAT_DECAY",
    "DEFAULT_SATURATION",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHT",
    "REGEX_PREFIX",
    "SENTENCE",
    "SOURCE",
    "TRANSLATION",
    "Evidence",
    "Exclusion",
    "Folded",
    "Form",
    "Include",
    "IptcRef",
    "Matcher",
    "Near",
    "Requirement",
    "Tag",
    "Tagger",
    "Taxonomy",
    "TaxonomyError",
    "Term",
    "Topic",
    "default_taxonomy_path",
    "fold",
    "fold_char",
    "form_source",
    "load_taxonomy",
    "taxonomy_as_dict",
]
