"""What the pipeline does, seen from the web layer: the metrics and the request's log line hear it.

The pipeline declares the hooks (service.core.pipeline.PipelineObserver); this class implements them and
never changes a result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.core.detect import Detection
from service.core.exceptions import CoreError, UnsupportedLanguageError
from service.core.models import ModelRegistry
from service.core.pipeline import Analysis, Document
from service.web.metrics import Metrics
from service.web.requestlog import MAX_LOGGED_TEXT, note


class WebObserver:
    """Notes text lengths and languages in the request log, and counts translations and cache use."""

    def __init__(self, metrics: Metrics, *, log_text: bool = False) -> None:
        self.metrics = metrics
        self.log_text = log_text
        self.models: ModelRegistry | None = None  # set once the engines exist

    def _note_text(self, texts: Sequence[str], **fields: Any) -> None:
        fields["text_length"] = sum(len(t) for t in texts)
        if self.log_text:
            fields["text"] = "\n".join(texts)[:MAX_LOGGED_TEXT]
        note(**fields)

    def detected(self, text: str, detection: Detection) -> None:
        """Note the text length and the language."""
        self._note_text([text], language=detection.code)

    def tagging(self, text: str, language: str | None) -> None:
        """Note the text length (and the language when given)."""
        self._note_text([text], language=language)

    def analyzing(self, documents: Sequence[Document]) -> None:
        """Note the text length before the work, so that a failed request still shows it."""
        self._note_text([d.text for d in documents], documents=len(documents))

    def analyzed(self, documents: Sequence[Document], results: Sequence[Analysis | CoreError]) -> None:
        """Count what was translated and the cache's work; note the language of a single document."""
        self.metrics.observe_translations([d.text for d in documents], results)
        if self.models is not None:
            self.metrics.sync_cache(self.models)
        if len(results) == 1:
            result = results[0]
            if isinstance(result, Analysis):
                note(language=result.language.code)
            elif isinstance(result, UnsupportedLanguageError):
                note(language=result.language)
