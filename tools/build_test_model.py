#!/usr/bin/env python3
"""Build a tiny but real Argos Translate package pt->en, fully offline.

Recipe (all steps are in this one script):

1. Parallel data: Debian gettext catalogs already on the machine,
   /usr/share/locale/{pt_BR,pt}/LC_MESSAGES/*.mo (msgid = English, msgstr = Portuguese),
   read with the standard library ``gettext`` module. Cleaned (headers, contexts, plural
   forms, mnemonics, long strings, duplicates) and split deterministically into
   train / dev / test by a hash of the English msgid, so a msgid never crosses splits.
2. A shared SentencePiece unigram model (8000 pieces) trained on the training pairs.
   Ids: 0 <unk>, 1 <s>, 2 </s>, 3 <pad>.
3. A small pre-norm torch Transformer (d_model 256, 3+3 layers, 4 heads, FFN 1024,
   shared source/target/output embeddings, sinusoidal positions) trained for a bounded
   wall time on 2 threads with fixed seeds.
4. Export to CTranslate2 via ``ctranslate2.specs.TransformerSpec.from_config`` filled
   from numpy arrays; verified against torch (per-token log-probs and greedy output);
   saved with int8 weights.
5. Packaged as ``translate-pt_en-ponte_test-1_0.argosmodel`` (zip, one top folder).
6. Evaluated: corpus BLEU on the held-out test split, example translations, EOS/length
   statistics, and an ``argostranslate.package.install_from_path`` check.

Dev-only dependencies: tools/requirements-model.txt (+ argostranslate==1.11.0 --no-deps
and packaging for the install check). Example:

    python3 -m venv /work/venvs/model-build
    /work/venvs/model-build/bin/pip install -r tools/requirements-model.txt
    /work/venvs/model-build/bin/pip install argostranslate==1.11.0 --no-deps packaging
    /work/venvs/model-build/bin/python tools/build_test_model.py --minutes 12
"""

from __future__ import annotations

import argparse
import collections
import gettext
import glob
import hashlib
import json
import logging
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

log = logging.getLogger("build_test_model")

REPO = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "translate-pt_en-ponte_test-1_0"
DEFAULT_OUT = REPO / "tests" / "fixtures" / f"{PACKAGE_NAME}.argosmodel"
LOCALE_DIRS = ["/usr/share/locale/pt_BR/LC_MESSAGES", "/usr/share/locale/pt/LC_MESSAGES"]

UNK_ID, BOS_ID, EOS_ID, PAD_ID = 0, 1, 2, 3
# Printf-style placeholders kept as single pieces so they are copied through intact.
USER_SYMBOLS = ["%s", "%d", "%u", "%i", "%ld", "%lu", "%f", "%c", "%x", "%%",
                "%1$s", "%2$s", "%3$s", "%1$d", "%2$d", "%zu", "%lld", "%llu"]


# --------------------------------------------------------------------------- data
ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def strip_mnemonic(s: str, keep_underscore: bool = False) -> str:
    """Remove one keyboard accelerator mark, as in "_File", "A_brir" or "&Open".

    Only when the string holds exactly one such mark directly before a letter or digit
    (so "Tom & Jerry", "&amp;" and strings with several underscores are left alone).
    """
    s = s.replace("&&", "\x00")  # Qt escape for a literal ampersand
    for mark in ("&",) if keep_underscore else ("_", "&"):
        if s.count(mark) != 1 or (mark == "&" and ENTITY_RE.search(s)):
            continue
        i = s.index(mark)
        if s[i + 1:i + 2].isalnum():
            s = s[:i] + s[i + 1:]
    s = s.replace("\x00", "&")
    # "(_F)"-style accelerators appended to some translations.
    s = re.sub(r"\s*\(_?[A-Za-z0-9]\)(?=[.:…]*$)", "", s)
    return s


WS_RE = re.compile(r"\s+")
CODEISH_RE = re.compile(r"^[\w.\-/:]+$")


UNDERSCORE_WORD_RE = re.compile(r"\w*_\w*")


def shares_identifier(en: str, pt: str) -> bool:
    """True if a word with "_" occurs on both sides (an identifier such as use_tls)."""
    return any(w in pt for w in UNDERSCORE_WORD_RE.findall(en) if len(w) > 1)


def clean(s: str, keep_underscore: bool = False) -> str:
    s = strip_mnemonic(s, keep_underscore)
    s = s.replace("\u00a0", " ")
    s = WS_RE.sub(" ", s).strip()
    return s


def read_catalogs(max_chars: int) -> list[tuple[str, str, str]]:
    """Return (english, portuguese, domain) pairs from the installed .mo files."""
    pairs = []
    stats = collections.Counter()
    for d in LOCALE_DIRS:
        for path in sorted(glob.glob(os.path.join(d, "*.mo"))):
            try:
                with open(path, "rb") as fh:
                    cat = gettext.GNUTranslations(fh)._catalog
            except Exception as exc:
                log.warning("skip %s: %s", path, exc)
                continue
            domain = Path(path).stem
            for key, value in cat.items():
                stats["entries"] += 1
                if isinstance(key, tuple):
                    msgid, idx = key
                    # Only the singular msgid is stored; pair it with plural form 0.
                    if idx != 0:
                        stats["plural_other"] += 1
                        continue
                else:
                    msgid = key
                if not msgid or not value:
                    stats["empty"] += 1
                    continue
                if "\x04" in msgid:  # msgctxt
                    msgid = msgid.split("\x04", 1)[1]
                if "\n" in msgid.strip() or "\n" in value.strip():
                    # Argos splits paragraphs on newlines; keep one-line strings only.
                    stats["multiline"] += 1
                    continue
                keep = shares_identifier(msgid, value)
                en, pt = clean(msgid, keep), clean(value, keep)
                if not en or not pt:
                    stats["empty"] += 1
                    continue
                if len(en) > max_chars or len(pt) > max_chars:
                    stats["too_long"] += 1
                    continue
                if not re.search(r"[A-Za-zÀ-ÿ]", en) or not re.search(r"[A-Za-zÀ-ÿ]", pt):
                    stats["no_letters"] += 1
                    continue
                if CODEISH_RE.match(en) and ("_" in en or "." in en or "/" in en):
                    stats["code_like"] += 1
                    continue
                ratio = (len(pt) + 5) / (len(en) + 5)
                if ratio > 3 or ratio < 1 / 3:
                    stats["length_ratio"] += 1
                    continue
                pairs.append((en, pt, domain))
    seen = set()
    out = []
    for en, pt, dom in pairs:
        if (en, pt) in seen:
            stats["duplicate"] += 1
            continue
        seen.add((en, pt))
        out.append((en, pt, dom))
    log.info("catalog stats: %s", dict(stats))
    log.info("%d unique (en, pt) pairs", len(out))
    return out


def bucket(en: str) -> int:
    return int(hashlib.sha1(en.encode("utf-8")).hexdigest()[:8], 16) % 10000


def split_pairs(pairs, n_test: int, n_dev: int):
    """Deterministic split by English msgid (same msgid never in two splits)."""
    by_en = collections.defaultdict(list)
    for en, pt, dom in pairs:
        by_en[en].append((en, pt, dom))
    keys = sorted(by_en, key=lambda k: (bucket(k), k))
    test, dev, train = [], [], []
    for k in keys:
        group = by_en[k]
        if len(test) < n_test:
            # one reference per source sentence for the test set: prefer pt_BR order
            test.append(group[0])
        elif len(dev) < n_dev:
            dev.append(group[0])
        else:
            train.extend(group)
    # Also drop from train any pair whose Portuguese source is a test source.
    test_src = {pt for _, pt, _ in test}
    train = [p for p in train if p[1] not in test_src]
    return train, dev, test


# --------------------------------------------------------------------------- sentencepiece
def train_sentencepiece(train, workdir: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    text = workdir / "sp_train.txt"
    with open(text, "w", encoding="utf-8") as fh:
        for en, pt, _ in train:
            fh.write(pt + "\n")
            fh.write(en + "\n")
    prefix = workdir / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        unk_id=UNK_ID, bos_id=BOS_ID, eos_id=EOS_ID, pad_id=PAD_ID,
        unk_piece="<unk>", bos_piece="<s>", eos_piece="</s>", pad_piece="<pad>",
        user_defined_symbols=USER_SYMBOLS,
        input_sentence_size=1000000,
        shuffle_input_sentence=True,
        seed_sentencepiece_size=200000,
        num_threads=2,
        minloglevel=2,
    )
    return Path(str(prefix) + ".model")


# --------------------------------------------------------------------------- model
def build_model(vocab_size: int, args):
    import torch
    from torch import nn

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            d = args.d_model
            self.d = d
            self.emb = nn.Embedding(vocab_size, d, padding_idx=PAD_ID)
            nn.init.normal_(self.emb.weight, 0.0, d ** -0.5)
            with torch.no_grad():
                self.emb.weight[PAD_ID].zero_()
            self.out_bias = nn.Parameter(torch.zeros(vocab_size))
            self.register_buffer("pe", sinusoid(args.max_positions, d), persistent=False)
            self.drop = nn.Dropout(args.dropout)
            # nn.Transformer with pre-norm layers and final norms == CTranslate2 pre_norm.
            self.tf = nn.Transformer(
                d_model=d, nhead=args.heads,
                num_encoder_layers=args.layers, num_decoder_layers=args.layers,
                dim_feedforward=args.ffn, dropout=args.dropout, activation="relu",
                layer_norm_eps=args.ln_eps, batch_first=True, norm_first=True,
            )

        def embed(self, ids):
            x = self.emb(ids) * math.sqrt(self.d) + self.pe[: ids.shape[1]].unsqueeze(0)
            return self.drop(x)

        def encode(self, src):
            mask = src.eq(PAD_ID)
            return self.tf.encoder(self.embed(src), src_key_padding_mask=mask), mask

        def decode(self, tgt_in, memory, src_mask):
            T = tgt_in.shape[1]
            causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
            h = self.tf.decoder(self.embed(tgt_in), memory, tgt_mask=causal,
                                tgt_key_padding_mask=tgt_in.eq(PAD_ID),
                                memory_key_padding_mask=src_mask)
            return nn.functional.linear(h, self.emb.weight, self.out_bias)

        def forward(self, src, tgt_in):
            memory, mask = self.encode(src)
            return self.decode(tgt_in, memory, mask)

    return Seq2Seq()


def sinusoid(n: int, d: int):
    """Sinusoidal table, [sin | cos] halves (OpenNMT-tf / CTranslate2 layout).

    The table is exported explicitly into the CTranslate2 spec, so the layout only
    has to agree between torch and the export, which it does by construction.
    """
    import torch

    half = d // 2
    pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
    inv = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000.0) / (half - 1)))
    ang = pos * inv.unsqueeze(0)
    return torch.cat([torch.sin(ang), torch.cos(ang)], dim=1)


def make_batches(examples, max_tokens: int, rng: random.Random):
    """Length-bucketed batches of (src_ids, tgt_ids) with about max_tokens target tokens."""
    idx = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), rng.random()))
    batches, cur, cur_max = [], [], 0
    for i in idx:
        s, t = examples[i]
        m = max(cur_max, len(s), len(t) + 1)
        if cur and m * (len(cur) + 1) > max_tokens:
            batches.append(cur)
            cur, m = [], max(len(s), len(t) + 1)
        cur.append(i)
        cur_max = m
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(examples, ids):
    import torch

    src = [examples[i][0] for i in ids]
    tgt = [examples[i][1] for i in ids]
    S = max(len(s) for s in src)
    T = max(len(t) for t in tgt) + 1
    s_t = torch.full((len(ids), S), PAD_ID, dtype=torch.long)
    ti = torch.full((len(ids), T), PAD_ID, dtype=torch.long)
    to = torch.full((len(ids), T), PAD_ID, dtype=torch.long)
    for k, (s, t) in enumerate(zip(src, tgt, strict=False)):
        s_t[k, : len(s)] = torch.tensor(s)
        ti[k, : len(t) + 1] = torch.tensor([BOS_ID, *t])
        to[k, : len(t) + 1] = torch.tensor([*t, EOS_ID])
    return s_t, ti, to


def train_model(train_ex, dev_ex, vocab_size, args, ckpt: Path):
    import torch
    from torch import nn

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = build_model(vocab_size, args)
    n_params = sum(p.numel() for p in model.parameters())
    log.info("model parameters: %.2f M", n_params / 1e6)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-9,
                            weight_decay=0.0)

    def lr_at(step):
        step = max(step, 1)
        return args.lr * min(step / args.warmup, math.sqrt(args.warmup / step))

    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=args.label_smoothing)
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    step, epoch = 0, 0
    t0 = time.monotonic()
    done = False
    while not done:
        epoch += 1
        model.train()
        tot, ntok = 0.0, 0
        for ids in make_batches(train_ex, args.batch_tokens, rng):
            src, tin, tout = collate(train_ex, ids)
            step += 1
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            logits = model(src, tin)
            loss = loss_fn(logits.reshape(-1, vocab_size), tout.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            n = int(tout.ne(PAD_ID).sum())
            tot += float(loss.detach()) * n
            ntok += n
            if step % 100 == 0:
                log.info("epoch %d step %d lr %.2e train loss %.3f (%.0f s)", epoch, step,
                         lr_at(step), tot / max(ntok, 1), time.monotonic() - t0)
            if time.monotonic() > deadline or (args.max_steps and step >= args.max_steps):
                done = True
                break
        log.info("epoch %d done at step %d: train loss %.3f, dev loss %.3f", epoch, step,
                 tot / max(ntok, 1), dev_loss(model, dev_ex, vocab_size))
    log.info("trained %d steps, %d epochs in %.0f s", step, epoch, time.monotonic() - t0)
    model.eval()
    torch.save({"state": model.state_dict(), "vocab_size": vocab_size, "steps": step,
                "epochs": epoch, "args": vars(args)}, ckpt)
    return model, step


def dev_loss(model, dev_ex, vocab_size):
    import torch
    from torch import nn

    model.eval()
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID, reduction="sum")
    tot, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(dev_ex), 64):
            ids = list(range(i, min(i + 64, len(dev_ex))))
            src, tin, tout = collate(dev_ex, ids)
            logits = model(src, tin)
            tot += float(loss_fn(logits.reshape(-1, vocab_size), tout.reshape(-1)))
            n += int(tout.ne(PAD_ID).sum())
    model.train()
    return tot / max(n, 1)


# --------------------------------------------------------------------------- export
def export_ctranslate2(model, vocab: list[str], args, out_dir: Path, quantization):
    import ctranslate2
    from ctranslate2.specs import common_spec, transformer_spec

    sd = {k: v.detach().float().numpy().copy() for k, v in model.state_dict().items()}
    sd["pe"] = model.pe.detach().numpy().copy()
    d = args.d_model

    spec = transformer_spec.TransformerSpec.from_config(
        (args.layers, args.layers), args.heads, pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    spec.config.layer_norm_epsilon = args.ln_eps
    spec.config.add_source_bos = False
    spec.config.add_source_eos = False

    def ln(s, prefix):
        s.gamma = sd[prefix + ".weight"]
        s.beta = sd[prefix + ".bias"]

    def lin(s, w, b):
        s.weight = w
        s.bias = b

    emb = sd["emb.weight"]
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = emb
    enc.scale_embeddings = True
    enc.position_encodings.encodings = sd["pe"]
    dec.embeddings.weight = emb
    dec.scale_embeddings = True
    dec.position_encodings.encodings = sd["pe"]
    dec.projection.weight = emb
    dec.projection.bias = sd["out_bias"]
    ln(enc.layer_norm, "tf.encoder.norm")
    ln(dec.layer_norm, "tf.decoder.norm")

    for i, layer in enumerate(enc.layer):
        p = f"tf.encoder.layers.{i}."
        lin(layer.self_attention.linear[0], sd[p + "self_attn.in_proj_weight"],
            sd[p + "self_attn.in_proj_bias"])
        lin(layer.self_attention.linear[1], sd[p + "self_attn.out_proj.weight"],
            sd[p + "self_attn.out_proj.bias"])
        ln(layer.self_attention.layer_norm, p + "norm1")
        lin(layer.ffn.linear_0, sd[p + "linear1.weight"], sd[p + "linear1.bias"])
        lin(layer.ffn.linear_1, sd[p + "linear2.weight"], sd[p + "linear2.bias"])
        ln(layer.ffn.layer_norm, p + "norm2")

    for i, layer in enumerate(dec.layer):
        p = f"tf.decoder.layers.{i}."
        lin(layer.self_attention.linear[0], sd[p + "self_attn.in_proj_weight"],
            sd[p + "self_attn.in_proj_bias"])
        lin(layer.self_attention.linear[1], sd[p + "self_attn.out_proj.weight"],
            sd[p + "self_attn.out_proj.bias"])
        ln(layer.self_attention.layer_norm, p + "norm1")
        w = sd[p + "multihead_attn.in_proj_weight"]
        b = sd[p + "multihead_attn.in_proj_bias"]
        lin(layer.attention.linear[0], w[:d].copy(), b[:d].copy())
        lin(layer.attention.linear[1], w[d:].copy(), b[d:].copy())
        lin(layer.attention.linear[2], sd[p + "multihead_attn.out_proj.weight"],
            sd[p + "multihead_attn.out_proj.bias"])
        ln(layer.attention.layer_norm, p + "norm2")
        lin(layer.ffn.linear_0, sd[p + "linear1.weight"], sd[p + "linear1.bias"])
        lin(layer.ffn.linear_1, sd[p + "linear2.weight"], sd[p + "linear2.bias"])
        ln(layer.ffn.layer_norm, p + "norm3")

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    spec.save(str(out_dir))
    log.info("saved CTranslate2 model (%s) to %s: %s", quantization, out_dir,
             {p.name: p.stat().st_size for p in out_dir.iterdir()})
    _ = ctranslate2  # imported to fail early if missing
    return out_dir


def verify_against_torch(model, sp, ct2_dir: Path, sources: list[str], tol: float):
    """Compare CTranslate2 scoring and greedy decoding with torch."""
    import ctranslate2
    import torch

    tr = ctranslate2.Translator(str(ct2_dir), device="cpu", intra_threads=2)
    max_diff = 0.0
    same_greedy = 0
    with torch.no_grad():
        for text in sources:
            pieces = sp.encode(text, out_type=str)
            src_ids = torch.tensor([sp.encode(text)])
            memory, mask = model.encode(src_ids)
            # torch greedy
            out = [BOS_ID]
            for _ in range(100):
                logits = model.decode(torch.tensor([out]), memory, mask)[0, -1]
                nxt = int(logits.argmax())
                out.append(nxt)
                if nxt == EOS_ID:
                    break
            torch_hyp = [sp.id_to_piece(i) for i in out[1:] if i != EOS_ID]
            ct = tr.translate_batch([pieces], beam_size=1, max_decoding_length=100)[0]
            if ct.hypotheses[0] == torch_hyp:
                same_greedy += 1
            # per-token log-probs on the torch greedy output (teacher forcing)
            tgt = out[1:-1] if out[-1] == EOS_ID else out[1:]
            tin = torch.tensor([[BOS_ID, *tgt]])
            lp = torch.log_softmax(model.decode(tin, memory, mask)[0], -1)
            torch_lp = [float(lp[k, t]) for k, t in enumerate([*tgt, EOS_ID])]
            sc = tr.score_batch([pieces], [[sp.id_to_piece(t) for t in tgt]])[0]
            diff = max(abs(a - b) for a, b in zip(torch_lp, sc.log_probs, strict=False))
            max_diff = max(max_diff, diff)
    log.info("CTranslate2 vs torch on %d inputs: max |log-prob diff| %.2e, "
             "identical greedy output %d/%d", len(sources), max_diff, same_greedy, len(sources))
    if max_diff > tol:
        raise SystemExit(f"CTranslate2 export does not match torch (max diff {max_diff})")
    return max_diff, same_greedy


# --------------------------------------------------------------------------- evaluation
TOK_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def corpus_bleu(hyps: list[str], refs: list[str]) -> float:
    """Corpus BLEU-4 (Papineni et al.), one reference, case-sensitive,
    word/punctuation regex tokenization, no smoothing. Returns 0..100."""
    match = [0] * 4
    total = [0] * 4
    hyp_len = ref_len = 0
    for h, r in zip(hyps, refs, strict=False):
        ht, rt = TOK_RE.findall(h), TOK_RE.findall(r)
        hyp_len += len(ht)
        ref_len += len(rt)
        for n in range(1, 5):
            hc = collections.Counter(tuple(ht[i:i + n]) for i in range(len(ht) - n + 1))
            rc = collections.Counter(tuple(rt[i:i + n]) for i in range(len(rt) - n + 1))
            match[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(len(ht) - n + 1, 0)
    if min(match) == 0:
        return 0.0
    log_p = sum(math.log(m / t) for m, t in zip(match, total, strict=False)) / 4
    bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / max(hyp_len, 1))
    return 100 * bp * math.exp(log_p)


def translate(tr, sp, texts, beam_size, max_len=256):
    batch = [sp.encode(t, out_type=str) for t in texts]
    res = tr.translate_batch(batch, beam_size=beam_size, length_penalty=0.2,
                             replace_unknowns=True, max_batch_size=32,
                             max_decoding_length=max_len)
    hyps = [r.hypotheses[0] for r in res]
    return [sp.decode(h) for h in hyps], hyps


def evaluate(ct2_dir: Path, sp_model: Path, test, label: str, beams=(1, 4)):
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    tr = ctranslate2.Translator(str(ct2_dir), device="cpu", intra_threads=2)
    src = [pt for _, pt, _ in test]
    refs = [en for en, _, _ in test]
    results = {}
    for beam in beams:
        t0 = time.monotonic()
        hyps, pieces = translate(tr, sp, src, beam)
        dt = time.monotonic() - t0
        bleu = corpus_bleu(hyps, refs)
        out_len = sum(len(p) for p in pieces) / len(pieces)
        ref_len = sum(len(sp.encode(r)) for r in refs) / len(refs)
        at_max = sum(len(p) >= 255 for p in pieces)
        results[beam] = {"bleu": round(bleu, 2), "avg_out_pieces": round(out_len, 2),
                         "avg_ref_pieces": round(ref_len, 2), "hit_max_length": at_max,
                         "seconds": round(dt, 2), "hyps": hyps}
        log.info("[%s] beam %d: BLEU %.2f on %d held-out pairs; avg output %.2f pieces vs "
                 "reference %.2f; %d outputs hit the 256 max length; %.1f s", label, beam,
                 bleu, len(src), out_len, ref_len, at_max, dt)
    return results


def check_install(pkg_path: Path):
    """Install the package with argostranslate into a temporary ARGOS_PACKAGES_DIR."""
    # argostranslate 1.11.0's install_from_path() extracts the zip and then imports
    # argostranslate.translate (to clear a cache), which imports stanza and minisbd at
    # import time. This build venv has argostranslate without its dependencies, so
    # those two modules are stubbed for the check; the extraction and
    # get_installed_packages() are argostranslate's own code.
    code = r"""
import json, sys, types
for name in ("stanza", "minisbd"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["minisbd"].SBDetect = object
sys.modules["minisbd"].models = types.SimpleNamespace(cache_dir=None)
import argostranslate.package as p
p.install_from_path(sys.argv[1])
pk = p.get_installed_packages()
print(json.dumps([[x.from_code, x.to_code, x.package_version, str(x.package_path)] for x in pk]))
"""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update({"ARGOS_PACKAGES_DIR": os.path.join(tmp, "packages"),
                    "HOME": tmp, "XDG_DATA_HOME": os.path.join(tmp, "data"),
                    "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
                    "XDG_CACHE_HOME": os.path.join(tmp, "cache")})
        try:
            out = subprocess.run([sys.executable, "-c", code, str(pkg_path)], env=env,
                                 capture_output=True, text=True, check=True, timeout=120)
        except FileNotFoundError:
            log.warning("argostranslate not importable: install check skipped")
            return None
        except subprocess.CalledProcessError as exc:
            if "No module named 'argostranslate'" in exc.stderr:
                log.warning("argostranslate not installed: install check skipped")
                return None
            raise SystemExit("argostranslate install check failed:\n" + exc.stderr) from None
        installed = json.loads(out.stdout.strip().splitlines()[-1])
        log.info("argostranslate installed packages: %s", installed)
        if not any(f == "pt" and t == "en" for f, t, *_ in installed):
            raise SystemExit("package not listed by get_installed_packages()")
        return installed


# --------------------------------------------------------------------------- package
def write_package(pkg_dir: Path, ct2_dir: Path, sp_model: Path, readme: str, out: Path):
    if pkg_dir.exists():
        shutil.rmtree(pkg_dir)
    pkg_dir.mkdir(parents=True)
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": "pt",
        "from_name": "Portuguese",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "description": ("Tiny TEST model (ponte fixture) trained offline on Debian gettext "
                        "UI strings (pt/pt_BR catalogs): translates short UI-like strings, "
                        "not news or general prose."),
    }
    (pkg_dir / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", "utf-8")
    shutil.copytree(ct2_dir, pkg_dir / "model")
    shutil.copy(sp_model, pkg_dir / "sentencepiece.model")
    (pkg_dir / "README.md").write_text(readme, "utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(".tmp")
    # Fixed timestamps and order so the zip is byte-stable for identical inputs.
    with zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        root = pkg_dir.parent
        entries = sorted(p for p in pkg_dir.rglob("*"))
        for p in [pkg_dir, *entries]:
            arc = p.relative_to(root).as_posix() + ("/" if p.is_dir() else "")
            zi = zipfile.ZipInfo(arc, date_time=(2024, 1, 1, 0, 0, 0))
            zi.external_attr = ((0o40755 if p.is_dir() else 0o100644) << 16)
            if p.is_dir():
                zf.writestr(zi, b"")
            else:
                zi.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(zi, p.read_bytes())
    os.replace(tmp_out, out)
    log.info("wrote %s (%.2f MB)", out, out.stat().st_size / 1e6)


def package_readme(info: dict) -> str:
    ex = "\n".join(f"| {pt} | {hyp} | {ref} |" for pt, hyp, ref in info["examples"])
    return f"""# translate-pt_en-ponte_test 1.0 (TEST fixture)

A tiny but real Argos Translate package, Portuguese -> English, built fully offline for the
tests of the ponte service. **It translates short software UI strings (menus, messages)
reasonably and anything else (news, prose) badly.** Not for production use.

## Model
- CTranslate2 Transformer (pre-norm, sinusoidal positions), {info['layers']}+{info['layers']} layers,
  d_model {info['d_model']}, {info['heads']} heads, FFN {info['ffn']}, shared embeddings,
  {info['params_m']:.1f} M parameters, int8 weights.
- Shared SentencePiece unigram vocabulary of {info['vocab_size']} pieces:
  id 0 `<unk>`, 1 `<s>`, 2 `</s>`, 3 `<pad>`. The source is plain pieces (no `<s>`/`</s>`);
  decoding starts from `<s>` and stops at `</s>` (CTranslate2 defaults).
- Trained {info['minutes']} minutes ({info['steps']} steps) on 2 CPU threads.

## Data
{info['n_train']} training pairs from the gettext catalogs of the Debian packages installed on the
build machine (`/usr/share/locale/pt_BR/LC_MESSAGES/*.mo`, `/usr/share/locale/pt/LC_MESSAGES/*.mo`;
msgid = English, msgstr = Portuguese). These translations are the work of the respective
projects' translation teams and are distributed under the free licences of those Debian packages
(see `/usr/share/doc/*/copyright` of each package).

## Quality
Held-out test split of {info['n_test']} UI strings (never seen in training, split by English msgid):
BLEU {info['bleu_beam4']:.1f} (beam 4, length_penalty 0.2, as Argos decodes), {info['bleu_greedy']:.1f} greedy
(own corpus BLEU-4, word/punctuation tokenization, case-sensitive).

| Portuguese | this model | reference |
|---|---|---|
{ex}

## Recipe
`{info['command']}` (script `tools/build_test_model.py` in the ponte repository).
"""


# --------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=12.0, help="training wall time")
    ap.add_argument("--max-steps", type=int, default=0,
                    help="stop after this many steps (0 = only the time limit); use the step "
                         "count logged by a previous run for a bit-reproducible rebuild")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ponte-model-build"))
    ap.add_argument("--reuse-checkpoint", action="store_true",
                    help="skip training and export the checkpoint in --workdir")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--batch-tokens", type=int, default=2000)
    ap.add_argument("--max-chars", type=int, default=200)
    ap.add_argument("--max-pieces", type=int, default=80)
    ap.add_argument("--max-positions", type=int, default=512)
    ap.add_argument("--ln-eps", type=float, default=1e-5)
    ap.add_argument("--test-size", type=int, default=300)
    ap.add_argument("--dev-size", type=int, default=300)
    ap.add_argument("--quantization", default="int8")
    args = ap.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    t_start = time.monotonic()
    random.seed(args.seed)
    import numpy as np
    import sentencepiece as spm
    import torch

    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.workdir.mkdir(parents=True, exist_ok=True)

    # 1. data
    pairs = read_catalogs(args.max_chars)
    train, dev, test = split_pairs(pairs, args.test_size, args.dev_size)
    log.info("split: train %d, dev %d, test %d", len(train), len(dev), len(test))
    with open(args.workdir / "test.tsv", "w", encoding="utf-8") as fh:
        for en, pt, dom in test:
            fh.write(f"{pt}\t{en}\t{dom}\n")

    # 2. sentencepiece
    sp_model = args.workdir / "sentencepiece.model"
    if not (args.reuse_checkpoint and sp_model.exists()):
        sp_model = train_sentencepiece(train, args.workdir, args.vocab_size)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert vocab[:4] == ["<unk>", "<s>", "</s>", "<pad>"], vocab[:4]

    def encode(pairs_):
        out = []
        for en, pt, _ in pairs_:
            s, t = sp.encode(pt), sp.encode(en)
            if 0 < len(s) <= args.max_pieces and 0 < len(t) <= args.max_pieces:
                out.append((s, t))
        return out

    train_ex, dev_ex = encode(train), encode(dev)
    log.info("encoded: train %d, dev %d examples", len(train_ex), len(dev_ex))

    # 3. train
    ckpt = args.workdir / "model.pt"
    if args.reuse_checkpoint:
        state = torch.load(ckpt)
        model = build_model(state["vocab_size"], args)
        model.load_state_dict(state["state"])
        model.eval()
        steps = state["steps"]
    else:
        model, steps = train_model(train_ex, dev_ex, len(vocab), args, ckpt)
    n_params = sum(p.numel() for p in model.parameters())

    # 4. export + verify (float32 must match torch; int8 is what ships)
    probe = [pt for _, pt, _ in test[:40]] + ["O pacote %s não está instalado",
                                               "Abrir arquivo", "Não foi possível salvar o documento."]
    f32 = export_ctranslate2(model, vocab, args, args.workdir / "ct2_float32", "float32")
    verify_against_torch(model, sp, f32, probe, tol=1e-3)
    ct2_dir = export_ctranslate2(model, vocab, args, args.workdir / "ct2_int8", args.quantization)

    # 7. evaluate the shipped (quantized) model
    res = evaluate(ct2_dir, sp_model, test, args.quantization)
    res32 = evaluate(f32, sp_model, test, "float32", beams=(1,))
    agree = sum(a == b for a, b in zip(res[1]["hyps"], res32[1]["hyps"], strict=False))
    log.info("int8 vs float32 greedy: identical output on %d/%d test inputs", agree, len(test))
    examples = []
    for i in range(0, len(test), max(1, len(test) // 12))[:12]:
        en, pt, _ = test[i]
        examples.append((pt, res[4]["hyps"][i], en))
    for pt, hyp, ref in examples:
        log.info("EXAMPLE %r -> %r (ref %r)", pt, hyp, ref)
    for text in ["O pacote %s não está instalado", "Abrir arquivo",
                 "Não foi possível salvar o documento.", "Deseja sair do programa?",
                 "O presidente anunciou novas medidas económicas ontem."]:
        import ctranslate2
        tr = ctranslate2.Translator(str(ct2_dir), device="cpu")
        log.info("PROBE %r -> %r", text, translate(tr, sp, [text], 4)[0][0])

    command = "python tools/build_test_model.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--reuse-checkpoint")
    info = {"layers": args.layers, "d_model": args.d_model, "heads": args.heads, "ffn": args.ffn,
            "params_m": n_params / 1e6, "vocab_size": len(vocab), "minutes": args.minutes,
            "steps": steps, "n_train": len(train_ex), "n_test": len(test),
            "bleu_beam4": res[4]["bleu"], "bleu_greedy": res[1]["bleu"],
            "examples": examples, "command": command.strip()}

    # 5./6. package
    write_package(args.workdir / "pkg" / PACKAGE_NAME, ct2_dir, sp_model,
                  package_readme(info), args.out)
    check_install(args.out)

    summary = {k: v for k, v in info.items() if k != "examples"}
    summary.update({
        "size_bytes": args.out.stat().st_size,
        "eval_int8": {b: {k: v for k, v in r.items() if k != "hyps"} for b, r in res.items()},
        "eval_float32": {b: {k: v for k, v in r.items() if k != "hyps"} for b, r in res32.items()},
        "total_seconds": round(time.monotonic() - t_start),
    })
    (args.workdir / "summary.json").write_text(json.dumps(summary, indent=2), "utf-8")
    log.info("SUMMARY %s", json.dumps(summary))


if __name__ == "__main__":
    main()
