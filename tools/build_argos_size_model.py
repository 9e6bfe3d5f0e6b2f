#!/usr/bin/env python3
"""Build an Argos-size pt->en package with random weights, offline, for the benchmark (make bench-argos-size).

Real Argos translation models are Transformer "base": 6+6 layers, d_model 512, 8 heads, FFN 2048, int8, one
shared SentencePiece vocabulary. This script writes a CTranslate2 model of exactly that shape through
`ctranslate2.specs.TransformerSpec.from_config`, filled from seeded numpy arrays, with the vocabulary and
SentencePiece model of the test fixture (tests/fixtures/*.argosmodel, 8,000 pieces), and packages it as a real
`.argosmodel` (zip, one top folder, metadata.json, model/, sentencepiece.model, README.md) in a git-ignored
build folder. Nothing big is committed: the package is built again in ~10-30 s when missing.

Random weights translate nothing, and the end-of-sentence token is also pushed out of reach on purpose (its
output bias is -1e4), so every sentence decodes to the decoding bound: the service and the engine reference
do the same, known amount of work per sentence (a consistent, pessimistic workload: a real model stops at
the end of its sentence, well before the bound). Every sentence is also flagged `truncated`, so the
service's self-repair re-decodes every sentence: say so wherever a figure of this model is quoted.

    python tools/build_argos_size_model.py      # -> build/argos-size/translate-pt_en-argos_size-1_0.argosmodel
    python tools/build_argos_size_model.py --out X.argosmodel --layers 6 --d-model 512
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
NAME = "translate-pt_en-argos_size-1_0"
DEFAULT_OUT = ROOT / "build" / "argos-size" / f"{NAME}.argosmodel"
EOS_BIAS = -1.0e4  # the end-of-sentence logit is never the best: every sentence runs to the decoding bound


def fixture_vocabulary(fixture: Path, work: Path) -> tuple[list[str], Path]:
    """The fixture's shared vocabulary (CTranslate2 ids = SentencePiece ids) and its SentencePiece model file."""
    with zipfile.ZipFile(fixture) as archive:
        top = archive.namelist()[0].split("/")[0]
        vocab = json.loads(archive.read(f"{top}/model/shared_vocabulary.json"))
        sp_path = work / "sentencepiece.model"
        sp_path.write_bytes(archive.read(f"{top}/sentencepiece.model"))
    return vocab, sp_path


def sinusoids(length: int, dim: int) -> np.ndarray:
    """The Transformer's sinusoidal position encodings (as OpenNMT and fairseq write them)."""
    position = np.arange(length, dtype=np.float32)[:, None]
    rate = np.exp(np.arange(0, dim, 2, dtype=np.float32) * -(math.log(10000.0) / dim))
    table = np.zeros((length, dim), dtype=np.float32)
    table[:, 0::2] = np.sin(position * rate)
    table[:, 1::2] = np.cos(position * rate)
    return table


def random_spec(vocab: list[str], layers: int, d_model: int, heads: int, ffn: int, seed: int):  # type: ignore[no-untyped-def]
    """A pre-norm Transformer spec of this shape, every weight drawn from a seeded normal distribution."""
    from ctranslate2.specs import common_spec, transformer_spec

    rng = np.random.default_rng(seed)
    scale = 1.0 / math.sqrt(d_model)

    def weight(rows: int, cols: int) -> np.ndarray:
        return rng.normal(0.0, scale, size=(rows, cols)).astype(np.float32)

    def zeros(n: int) -> np.ndarray:
        return np.zeros(n, dtype=np.float32)

    def norm(spec) -> None:  # type: ignore[no-untyped-def]
        spec.gamma = np.ones(d_model, dtype=np.float32)
        spec.beta = zeros(d_model)

    def linear(spec, rows: int, cols: int) -> None:  # type: ignore[no-untyped-def]
        spec.weight = weight(rows, cols)
        spec.bias = zeros(rows)

    spec = transformer_spec.TransformerSpec.from_config((layers, layers), heads, pre_norm=True,
                                                        activation=common_spec.Activation.RELU)
    spec.config.add_source_bos = False
    spec.config.add_source_eos = False
    embeddings = rng.normal(0.0, scale, size=(len(vocab), d_model)).astype(np.float32)
    positions = sinusoids(1024, d_model)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = embeddings
    encoder.scale_embeddings = True
    encoder.position_encodings.encodings = positions
    decoder.embeddings.weight = embeddings
    decoder.scale_embeddings = True
    decoder.position_encodings.encodings = positions
    decoder.projection.weight = embeddings
    bias = zeros(len(vocab))
    bias[vocab.index("</s>")] = EOS_BIAS
    decoder.projection.bias = bias
    norm(encoder.layer_norm)
    norm(decoder.layer_norm)
    for layer in [*encoder.layer, *decoder.layer]:  # self-attention (fused q, k, v) and feed-forward
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.self_attention.layer_norm)
        linear(layer.ffn.linear_0, ffn, d_model)
        linear(layer.ffn.linear_1, d_model, ffn)
        norm(layer.ffn.layer_norm)
    for layer in decoder.layer:  # attention to the source: q, then fused k and v
        linear(layer.attention.linear[0], d_model, d_model)
        linear(layer.attention.linear[1], 2 * d_model, d_model)
        linear(layer.attention.linear[2], d_model, d_model)
        norm(layer.attention.layer_norm)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


README = """# {name}: an Argos-size model with RANDOM weights (benchmark only)

Built by `tools/build_argos_size_model.py` (ponte) on {date}: Transformer {layers}+{layers} layers, d_model
{d_model}, {heads} heads, FFN {ffn}, int8, pre-norm, shared embeddings, with the SentencePiece model and
vocabulary ({vocab} pieces) of the ponte test fixture; weights drawn from a normal distribution (seed {seed}).
It translates nothing: every output is random pieces up to the decoding bound (end of sentence is unreachable).
Its only use is to measure the cost of a real-size engine.
"""


def build(out: Path, *, fixture: Path = FIXTURE, layers: int = 6, d_model: int = 512, heads: int = 8,
          ffn: int = 2048, seed: int = 0, quantization: str = "int8") -> Path:
    """Write the package to `out` (replacing it) and return its path."""
    with tempfile.TemporaryDirectory(prefix="argos-size-") as tmp:
        work = Path(tmp)
        vocab, sp_model = fixture_vocabulary(fixture, work)
        spec = random_spec(vocab, layers, d_model, heads, ffn, seed)
        spec.optimize(quantization=quantization)
        package = work / NAME
        (package / "model").mkdir(parents=True)
        spec.save(str(package / "model"))
        shutil.copy(sp_model, package / "sentencepiece.model")
        metadata = {"package_version": "1.0", "argos_version": "1.9.0", "from_code": "pt", "from_name": "Portuguese",
                    "to_code": "en", "to_name": "English", "type": "translate",
                    "description": f"Argos-size ({layers}+{layers}, d{d_model}, int8) RANDOM weights: "
                                   "benchmark only, translates nothing."}
        (package / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (package / "README.md").write_text(README.format(
            name=NAME, date=time.strftime("%Y-%m-%d"), layers=layers, d_model=d_model, heads=heads, ffn=ffn,
            vocab=len(vocab), seed=seed), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.write(package, NAME)
            for path in sorted(package.rglob("*")):
                archive.write(path, f"{NAME}/{path.relative_to(package)}")
        partial.replace(out)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="package whose SentencePiece vocabulary to use")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--d-model", type=int, default=512)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--ffn", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--if-missing", action="store_true", help="do nothing when --out exists")
    args = parser.parse_args()
    if args.if_missing and args.out.exists():
        print(f"{args.out} exists")
        return 0
    started = time.perf_counter()
    out = build(args.out, fixture=args.fixture, layers=args.layers, d_model=args.d_model, heads=args.heads,
                ffn=args.ffn, seed=args.seed)
    print(f"wrote {out} ({out.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
