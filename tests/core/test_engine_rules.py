"""The engine's own rules, each against values worked out by hand: which of two outputs self-repair keeps, and what
a sentence's score is (the mean log-probability per generated token, as CTranslate2 itself scores the output).
The bound's buckets and where a long sentence is cut are tested beside their other tests (test_translate_quality.py,
test_translate.py)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from service.core.packages import InstalledPackage, check_package_dir
from service.core.translate import ArgosTranslator, DecodingOptions
from service.core.translate.engine import SPACE, _Hypothesis, _rank
from service.core.translate.quality import QualityRules
from service.core.translate.results import LENGTH_RATIO, REPAIRED, REPETITION, TRUNCATED, UNKNOWN_TOKENS
from service.core.translate.tokenizer import Tokenizer


def assessed(score: float, *flags: str) -> tuple[_Hypothesis, tuple[str, ...], str]:
    return _Hypothesis(["\u2581x"], score, truncated=TRUNCATED in flags), flags, "x"


@pytest.mark.parametrize(("better", "worse"), [
    (assessed(-3.0), assessed(-1.0, REPETITION)),  # no loop beats a loop, whatever the scores
    (assessed(-3.0, LENGTH_RATIO), assessed(-1.0, TRUNCATED)),  # a mild flag beats truncation
    (assessed(-3.0, REPETITION), assessed(-1.0, REPETITION, TRUNCATED)),  # one severe flag beats two
    (assessed(-3.0), assessed(-1.0, LENGTH_RATIO)),  # no flag beats any flag
    (assessed(-1.0, LENGTH_RATIO), assessed(-2.0, LENGTH_RATIO)),  # the same flags: the higher score
])
def test_repair_keeps_the_better_of_two_outputs(better: tuple[_Hypothesis, tuple[str, ...], str],
                                                worse: tuple[_Hypothesis, tuple[str, ...], str]) -> None:
    assert _rank(better) < _rank(worse)
    assert _rank(worse) > _rank(better)


def test_the_score_is_the_mean_log_probability_of_the_output(packages_dir: Path) -> None:
    import ctranslate2

    package = check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0")
    engine = ArgosTranslator(package, DecodingOptions(repair=False))
    sentences = ["Não foi possível abrir o arquivo.", "Deseja salvar as alterações antes de sair?"]
    results = engine.translate_scored(sentences)
    scorer = ctranslate2.Translator(str(package.model_dir), device="cpu")
    sources = [list(p) for p in engine.tokenizer.pieces(sentences)]
    targets = [list(p) for p in engine.tokenizer.pieces([r.text for r in results])]  # the outputs, tokenized again
    for result, scored in zip(results, scorer.score_batch(sources, targets, max_batch_size=1), strict=True):
        assert not result.flags
        log_probs = list(scored.log_probs)  # every output piece and the end of sentence
        assert result.score == pytest.approx(sum(log_probs) / len(log_probs), abs=2e-3)


# The engine's calls into CTranslate2 and what it makes of the answers, over a scripted stand-in for
# ctranslate2.Translator and a tokenizer of whole words: every expected value below is worked out by hand.

EOS = "</s>"
PREFIX = "__en__"
ROOMY = QualityRules(length_ratio_low=0.0, length_ratio_high=1000.0)  # no length_ratio flag in these tests
# length_penalty 1: CTranslate2's score is then the summed log-probability / length, the per-token mean itself
OPTIONS = DecodingOptions(length_penalty=1.0, quality=ROOMY)


def p(text: str) -> list[str]:
    """Pieces of a text of words: each a word start; the end token and the target prefix as they are."""
    return [w if w in (EOS, PREFIX) else SPACE + w for w in text.split()]


class WordTokenizer(Tokenizer):
    """Words as pieces; a word with "?" is outside the vocabulary."""

    def __init__(self) -> None:  # no SentencePiece model
        pass

    def pieces(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        return [tuple(p(text)) for text in texts]

    def decode(self, pieces: Sequence[str]) -> str:
        return "".join(pieces).replace(SPACE, " ").strip()

    def has_unknown(self, pieces: Sequence[str]) -> bool:
        return any("?" in piece for piece in pieces)


class Done:
    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value


Script = dict[str, list[tuple[str, float]]]


class ScriptedCTranslate2:
    """ctranslate2.Translator's calls answered from scripts: source -> [(hypothesis, score)], best first (`repairs`
    for the calls with the repair guards); output -> the log-probabilities score_batch gives its pieces and EOS."""

    def __init__(self, outputs: Script, repairs: Script | None = None,
                 log_probs: dict[str, list[float]] | None = None) -> None:
        self.outputs = {tuple(p(k)): v for k, v in outputs.items()}
        self.repairs = {tuple(p(k)): v for k, v in (repairs or {}).items()}
        self.log_probs = {tuple(p(k)): v for k, v in (log_probs or {}).items()}
        self.built: list[tuple[tuple[Any, ...], dict[str, Any], str]] = []
        self.batches: list[tuple[list[list[str]], dict[str, Any]]] = []
        self.scored: list[tuple[list[list[str]], list[list[str]], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> ScriptedCTranslate2:  # ctranslate2.Translator(...)
        self.built.append((args, kwargs, threading.current_thread().name))
        return self

    def translate_batch(self, sources: list[list[str]], **kwargs: Any) -> list[Done]:
        self.batches.append(([list(s) for s in sources], kwargs))
        script = self.repairs if "repetition_penalty" in kwargs else self.outputs
        answers = [script[tuple(source)][:kwargs["num_hypotheses"]] for source in sources]
        return [Done(SimpleNamespace(hypotheses=[p(text) for text, _ in answer], scores=[s for _, s in answer]))
                for answer in answers]

    def score_batch(self, sources: list[list[str]], targets: list[list[str]], **kwargs: Any) -> list[Done]:
        self.scored.append(([list(s) for s in sources], [list(t) for t in targets], kwargs))
        return [Done(SimpleNamespace(log_probs=self.log_probs[tuple(target)])) for target in targets]


def scripted(monkeypatch: pytest.MonkeyPatch, fake: ScriptedCTranslate2, options: DecodingOptions = OPTIONS,
             prefix: str = "", **kwargs: Any) -> ArgosTranslator:
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "Translator", fake)
    package = InstalledPackage("translate-pt_en-x", "1.0", "pt", "en", Path("/packages/translate-pt_en-x"),
                               target_prefix=prefix)
    return ArgosTranslator(package, options, **{"tokenizer": WordTokenizer(), **kwargs})


def call(beam_size: int = 4, num_hypotheses: int = 1, max_batch_size: int = 1, max_decoding_length: int = 12,
         target_prefix: list[list[str]] | None = None) -> dict[str, Any]:
    """The keyword arguments of one translate_batch call, as the engine should pass them."""
    return {"target_prefix": target_prefix, "max_batch_size": max_batch_size, "batch_type": "examples",
            "beam_size": beam_size, "num_hypotheses": num_hypotheses, "length_penalty": 1.0,
            "max_decoding_length": max_decoding_length, "replace_unknowns": True, "return_scores": True,
            "return_end_token": True, "asynchronous": True}


def test_the_translator_is_built_here_on_the_cpu_with_one_thread_each_by_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({})
    tokenizer = WordTokenizer()
    engine = scripted(monkeypatch, fake, tokenizer=tokenizer)
    assert fake.built == [(("/packages/translate-pt_en-x/model",), {
        "device": "cpu", "compute_type": "default", "inter_threads": 1, "intra_threads": 1},
        threading.current_thread().name)]  # nice 0 by default: built in this thread
    assert engine.tokenizer is tokenizer
    assert (engine.engine_calls, engine.repaired_sentences) == (0, 0)


def test_sub_batches_hold_one_source_length_each_longest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b c": [("x y z </s>", -0.5)], "f g h": [("u v w </s>", -0.25)],
                                "d e": [("s t </s>", -1.5)], "i": [("r </s>", -2.0)]})
    engine = scripted(monkeypatch, fake)
    results = engine.translate_scored(["a b c", "d e", "f g h", "i"])
    assert [(r.text, r.score, r.flags) for r in results] == [
        ("x y z", -0.5, ()), ("s t", -1.5, ()), ("u v w", -0.25, ()), ("r", -2.0, ())]
    # 4 sources on one replica: sub-batches of up to 4; the decoding bound of n pieces (n <= 8) is 2 n + 10
    assert fake.batches == [([p("a b c"), p("f g h")], call(max_batch_size=4, max_decoding_length=16)),
                            ([p("d e")], call(max_batch_size=4, max_decoding_length=14)),
                            ([p("i")], call(max_batch_size=4, max_decoding_length=12))]
    assert engine.engine_calls == 1


def test_sub_batches_are_spread_over_the_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b": [("x </s>", -1.0)], "c d": [("y </s>", -1.0)]})
    engine = scripted(monkeypatch, fake, inter_threads=2)
    assert engine.translate(["a b", "c d"]) == ["x", "y"]
    # 2 sources of one length on 2 replicas: sub-batches of ceil(2 / 2) = 1, one per replica
    assert fake.batches == [([p("a b")], call(max_batch_size=1, max_decoding_length=14)),
                            ([p("c d")], call(max_batch_size=1, max_decoding_length=14))]
    assert fake.built[0][1]["inter_threads"] == 2


def test_the_target_prefix_is_forced_and_taken_off_the_output_only_where_it_leads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b": [(f"{PREFIX} x y </s>", -1.0)], "c d": [("y z </s>", -1.0)]})
    engine = scripted(monkeypatch, fake, prefix=PREFIX)
    assert engine.translate(["a b", "c d"]) == ["x y", "y z"]
    assert fake.batches == [([p("a b"), p("c d")], call(max_batch_size=2, max_decoding_length=14,
                                                         target_prefix=[[PREFIX], [PREFIX]]))]


def test_the_end_token_is_dropped_and_an_output_without_it_is_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b": [("x y </s>", -1.0)], "c d": [("y z", -2.0)], "e f": [("", -3.0)]})
    engine = scripted(monkeypatch, fake, DecodingOptions(length_penalty=1.0, quality=ROOMY, repair=False))
    results = engine.translate_scored(["a b", "c d", "e f"])
    # nothing generated: the score is CTranslate2's as it is
    assert [(r.text, r.score, r.flags) for r in results] == [
        ("x y", -1.0, ()), ("y z", -2.0, (TRUNCATED,)), ("", -3.0, (TRUNCATED,))]


def test_a_source_piece_outside_the_vocabulary_flags_the_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a? b": [("x y </s>", -1.0)], "a b": [("x y </s>", -1.0)]})
    engine = scripted(monkeypatch, fake)
    assert [r.flags for r in engine.translate_scored(["a? b", "a b"])] == [(UNKNOWN_TOKENS,), ()]


def test_a_chunked_sentences_score_weighs_each_chunk_by_its_output_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b": [("x </s>", -1.0)], "c d": [("y z </s>", -2.0)]})
    engine = scripted(monkeypatch, fake, DecodingOptions(length_penalty=1.0, quality=ROOMY, max_input_tokens=2))
    result = engine.translate_scored(["a b c d"])[0]
    assert (result.text, result.score) == ("x y z", round((-1.0 * 1 - 2.0 * 2) / 3, 4))


def test_alternatives_are_the_other_texts_of_the_beam_once_each_at_their_best(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2({"a b": [("x y </s>", -1.0), ("x y </s>", -1.5), ("w </s>", -2.0),
                                        ("w </s>", -2.5)]})
    engine = scripted(monkeypatch, fake)
    result = engine.translate_scored(["a b"], alternatives=3)[0]
    assert (result.text, result.alternatives) == ("x y", (("w", -2.0),))


def test_repair_rescores_each_retried_output_as_ctranslate2_scores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = ScriptedCTranslate2(
        outputs={"a": [("x x x </s>", -1.0)],  # a loop
                 "b c": [("p q", -2.0)], "c d": [("u v", -3.0)],  # truncated
                 "d e": [("m n", -1.0)],  # truncated, and its retry is no better
                 "e f": [("k k k </s>", -1.0)],  # a loop
                 "f g": [("g h </s>", -0.5)]},  # clean: not retried
        repairs={"a": [("good one </s>", -9.0)], "b c": [("r s", -9.0)], "c d": [("t", -9.0)],
                 "d e": [("m n", -9.0)], "e f": [("</s>", -9.0)]},
        log_probs={"good one": [-0.5, -1.0, -1.5],  # ended: every piece and the end count
                   "r s": [-0.25, -0.5, -3.0], "t": [-0.5, -2.0], "m n": [-0.5, -1.5, -9.0],  # truncated: the end
                   "": [-0.75]})  # score_batch adds, never generated, does not
    engine = scripted(monkeypatch, fake)
    results = engine.translate_scored(["a", "b c", "c d", "d e", "e f", "f g"])
    assert [(r.text, r.score, r.flags) for r in results] == [
        ("good one", -1.0, (REPAIRED,)),  # (-0.5 - 1.0 - 1.5) / 3
        ("r s", -0.375, (TRUNCATED, REPAIRED)),  # (-0.25 - 0.5) / 2 beats -2.0
        ("t", -0.5, (TRUNCATED, REPAIRED)),  # -0.5 / 1 beats -3.0
        ("m n", -1.0, (TRUNCATED,)),  # (-0.5 - 1.5) / 2 = -1.0: as good as the first output, which stays
        ("", -0.75, (REPAIRED,)),  # the end alone: -0.75 / 1
        ("g h", -0.5, ())]
    assert engine.repaired_sentences == 4
    # the retries: greedy (repair_beam_size 1), one hypothesis, the guards; sub-batches as for any call (5 sources)
    guard = {"no_repeat_ngram_size": 0, "repetition_penalty": 1.5}
    assert fake.batches[2:] == [
        ([p("b c"), p("c d"), p("d e"), p("e f")], {**call(beam_size=1, max_batch_size=5, max_decoding_length=14),
                                                    **guard}),
        ([p("a")], {**call(beam_size=1, max_batch_size=5, max_decoding_length=12), **guard})]
    assert fake.scored == [([p(s) for s in ["a", "b c", "c d", "d e", "e f"]],
                            [p(t) for t in ["good one", "r s", "t", "m n", ""]],
                            {"max_batch_size": 1, "asynchronous": True})]
