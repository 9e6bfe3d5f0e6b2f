"""The pipeline seen from outside: what each call did goes to the metrics and to the request's log line.

The views stay thin: they call the pipeline as always, and this subclass notes the text length, the
language and the counts on the way back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.core.detect import Detection
from service.core.exceptions import CoreError, UnsupportedLanguageError
from service.core.pipeline import AUTO, Analysis, Document, Pipeline
from service.core.tagging import Tag
from service.metrics import Metrics
from service.requestlog import MAX_LOGGED_TEXT, note


class ObservedPipeline(Pipeline):
    """A Pipeline that reports to the metrics and the request log; results are unchanged."""

    def __init__(self, inner: Pipeline, metrics: Metrics, *, log_text: bool = False) -> None:
        super().__init__(inner.detector, inner.models, inner.tagger, documents=inner.documents,
                         arrivals=inner.arrivals)
        self.metrics = metrics
        self.log_text = log_text

    def _note_text(self, texts: Sequence[str], **fields: Any) -> None:
        fields["text_length"] = sum(len(t) for t in texts)
        if self.log_text:
            fields["text"] = "\n".join(texts)[:MAX_LOGGED_TEXT]
        note(**fields)

    def detect(self, text: str) -> Detection:
        """Detect, noting the text length and the language."""
        detection = super().detect(text)
        self._note_text([text], language=detection.code)
        return detection

    def tag(self, text: str, language: str = AUTO) -> tuple[Tag, ...]:
        """Tag, noting the text length (and the language when given)."""
        self._note_text([text], language=None if language == AUTO else language)
        return super().tag(text, language)

    def analyze_many(self, documents: Sequence[Document], *, tag: bool = True) -> list[Analysis | CoreError]:
        """Analyze, then count what was translated and note the language of a single document."""
        texts = [d.text for d in documents]
        fields: dict[str, Any] = {"documents": len(documents)}
        try:
            results = super().analyze_many(documents, tag=tag)
        finally:
            self._note_text(texts, **fields)
        self.metrics.observe_translations(texts, results)
        self.metrics.sync_cache(self.models)
        if len(results) == 1:
            result = results[0]
            if isinstance(result, Analysis):
                note(language=result.language.code)
            elif isinstance(result, UnsupportedLanguageError):
                note(language=result.language)
        return results
