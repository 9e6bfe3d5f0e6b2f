"""Which placeholder survives the engine? Survival of protected terms per masking strategy.

    .venv/bin/python bench/placeholders.py                     # the fixture model
    .venv/bin/python bench/placeholders.py --model X.argosmodel --show 5

Sentences: the seed article, sentences of tests/data/tagging_eval.jsonl with a protected token
inserted (a URL, e-mail, @handle, path, `code` or version), and software-style sentences built from
templates; each holds one to three protected spans or glossary terms (GLOSSARY below). Every
strategy masks the same spans (service.core.terms.masking.protect) and sends all sentences in one
engine call (service.core.translate.ArgosTranslator, beam 4).

A placeholder survives when it occurs exactly once in the output; a sentence survives when all of
its placeholders do. "verbatim" sends the sentence unmasked and counts a term as surviving when the
output holds it (or, for a glossary entry with a target, the target) as often as the source.
"split" translates the pieces between the terms separately (the fallback): it keeps every term by
construction; its cost is the number of engine units. The last line runs the chosen strategy with
the fallback (translate_protected) and checks every term's count in the final text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.settings import apply_process_defaults  # noqa: E402

apply_process_defaults()  # this process loads CTranslate2 itself

from service.core.packages import install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.terms.glossary import Glossary, GlossaryEntry  # noqa: E402
from service.core.terms.masking import (  # noqa: E402
    PRINTF,
    Masked,
    assemble,
    fallback_units,
    protect,
    restore,
    translate_protected,
)
from service.core.terms.spans import find_spans  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions  # noqa: E402

DEFAULT_MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"

GLOSSARY = Glossary([
    GlossaryEntry("código aberto", "open source", inflect=True),
    GlossaryEntry("inteligência artificial", "artificial intelligence", inflect=True),
    GlossaryEntry("modelo de linguagem", "language model", inflect=True),
    GlossaryEntry("governo federal", "federal government"),
    GlossaryEntry("Banco Central", "Central Bank"),
    GlossaryEntry("IA", "AI", case_sensitive=True),
    GlossaryEntry("Meta", case_sensitive=True),
    GlossaryEntry("Zuckerberg"),
    GlossaryEntry("Agência Brasil"),
])

TOKENS = {
    "url": ["https://www.gov.br/saude", "http://exemplo.com.br/noticias?id=42",
            "https://github.com/argosopentech/argos-translate", "www.ibge.gov.br"],
    "email": ["contato@ponte.org", "ana.silva@ufmg.br", "imprensa@ebc.com.br"],
    "handle": ["@ponte_bot", "@AgenciaBrasil", "@dados_abertos"],
    "path": ["/etc/ponte/config.yaml", "~/modelos/pt_en.argosmodel", "src/core/app.py", "README.md"],
    "code": ["`pip install ponte`", "`ls -la`", "`git status`"],
    "version": ["v1.2.3", "GPT-4", "Llama 3", "Python 3.11", "iOS 17", "Claude 3.5", "H100", "Android 14"],
}
INSERTIONS = ["{s} (ver {t}){p}", "Segundo {t}, {l}{p}", "{s}, informou {t}{p}", "{s} em {t}{p}"]
TEMPLATES = [
    "Não foi possível abrir o arquivo {path}.", "O arquivo {path} não foi encontrado.",
    "Envie um e-mail para {email} para obter ajuda.", "Erro ao enviar mensagem para {email}.",
    "Consulte {url} para mais informações.", "Não foi possível conectar a {url}.",
    "Execute {code} no terminal.", "O comando {code} falhou.", "A versão {version} está disponível.",
    "O pacote requer {version} ou superior.", "Siga {handle} para novidades.",
    "O usuário {handle} não existe.", "Instale o {version} e abra {path}.",
    "Copie {path} para {path2} antes de continuar.", "Escreva para {email} ou siga {handle}.",
    "O {version} usa {code} para instalar.", "Baixe de {url} e salve em {path}.",
    "O modelo {version} é de código aberto.", "A inteligência artificial do {version} está em {url}.",
    "A Meta lançou o {version} como modelo de linguagem de código aberto.",
]
PSEUDO_NAMES = ["Zorvak", "Kelmir", "Tavuzo", "Brimex", "Quorlan", "Vexlo", "Drumak", "Selvin", "Onrak",
                "Pylmo", "Gartok", "Wenzo", "Hulmar", "Jastro", "Fenlo", "Murak", "Tolvex"]
SHAPES: dict[str, Sequence[str]] = {
    "printf %s %1$s": PRINTF,
    "xml <x1>": [f"<x{n}>" for n in range(1, 18)],
    "brackets ⟦1⟧": [f"⟦{n}⟧" for n in range(1, 18)],
    "braces {1}": [f"{{{n}}}" for n in range(1, 18)],
    "ZX1": [f"ZX{n}" for n in range(1, 18)],
    "digits 1001": [str(1000 + n) for n in range(1, 18)],
    "pseudo-name Zorvak": PSEUDO_NAMES,
}


def sentences() -> tuple[list[str], int]:
    """The measured sentences, deterministic, and how many of them (the first) are news prose."""
    rng = random.Random(0)
    article = (ROOT / "tests" / "data" / "article_pt.txt").read_text(encoding="utf-8")
    out = [s.text for s in split_sentences(article).sentences]
    kinds = list(TOKENS)
    with (ROOT / "tests" / "data" / "tagging_eval.jsonl").open(encoding="utf-8") as lines:
        pool = [s.text for line in lines for s in split_sentences(json.loads(line)["text"]).sentences]
    pool = [s for s in pool if 40 <= len(s) <= 220 and s[-1] in ".!?"]
    for number, sentence in enumerate(rng.sample(pool, 110)):
        token = rng.choice(TOKENS[kinds[number % len(kinds)]])
        shape = INSERTIONS[number % len(INSERTIONS)]
        body = sentence[:-1]
        out.append(shape.format(s=body, t=token, p=sentence[-1], l=body[0].lower() + body[1:]))
    out = [s for s in out if find_spans(s) or GLOSSARY.find(s)]  # only sentences with a term
    news = len(out)
    for number in range(100):
        template = TEMPLATES[number % len(TEMPLATES)]
        values = {kind: rng.choice(options) for kind, options in TOKENS.items()}
        values["path2"] = rng.choice([p for p in TOKENS["path"] if p != values["path"]])
        out.append(template.format(**values))
    return out, news


def survival(masked: Sequence[Masked], outputs: Sequence[str]) -> tuple[int, int, int, int, int]:
    """(sentences kept whole, placeholders kept, lost, duplicated, total placeholders)."""
    whole = kept = lost = duplicated = total = 0
    for item, output in zip(masked, outputs, strict=True):
        ok = True
        for slot in item.slots:
            count = output.count(slot.placeholder)
            total += 1
            kept += count == 1
            lost += count == 0
            duplicated += count > 1
            ok = ok and count == 1
        whole += ok and restore(item, output) is not None
    return whole, kept, lost, duplicated, total


def verbatim(masked: Sequence[Masked], outputs: Sequence[str]) -> tuple[int, int, int, int, int]:
    """Survival with no masking: each term (or glossary target) occurs as often as in the source."""
    whole = kept = lost = duplicated = total = 0
    for item, output in zip(masked, outputs, strict=True):
        ok = True
        wanted: dict[str, int] = {}
        for slot in item.slots:
            wanted[slot.replacement] = wanted.get(slot.replacement, 0) + 1
        for term, times in wanted.items():
            count = output.count(term)
            total += times
            kept += min(count, times)
            lost += max(0, times - count)
            duplicated += max(0, count - times)
            ok = ok and count == times
        whole += ok
    return whole, kept, lost, duplicated, total


def final_check(masked: Sequence[Masked], texts: Sequence[str]) -> tuple[int, int, int, int]:
    """(terms whose count in the output equals the source's, terms, glossary targets applied, targets)."""
    exact = terms = applied = targets = 0
    for item, text in zip(masked, texts, strict=True):
        wanted: dict[str, int] = {}
        for slot in item.slots:
            wanted[slot.replacement] = wanted.get(slot.replacement, 0) + 1
        for term, times in wanted.items():
            terms += times
            exact += times if text.count(term) == times else 0
        for slot in item.slots:
            if slot.entry is not None and GLOSSARY.entries[slot.entry].target is not None:
                targets += 1
                applied += slot.replacement in text
    return exact, terms, applied, targets


def main() -> None:
    """Print the survival table in Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--show", type=int, default=0, help="print N example outputs per strategy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = ArgosTranslator(install_archive(args.model, Path(folder)), DecodingOptions())
        data, news = sentences()
        base = [protect(s, GLOSSARY) for s in data]
        slots = sum(len(m.slots) for m in base)
        kinds: dict[str, int] = {}
        for item in base:
            for slot in item.slots:
                kinds[slot.kind] = kinds.get(slot.kind, 0) + 1
        print(f"{len(data)} sentences, {slots} protected spans/glossary terms: {kinds}; model {args.model.name}\n")
        print("| strategy | sentences whole | news / software whole | placeholders kept | lost | duplicated "
              "| engine units | s |")
        print("|---|---|---|---|---|---|---|---|")
        rows: list[tuple[str, Sequence[Masked], tuple[int, int, int, int, int], int, float, list[str]]] = []
        started = time.perf_counter()
        outputs = engine.translate(data)
        rows.append(("verbatim (no mask)", base, verbatim(base, outputs), len(data),
                     time.perf_counter() - started, outputs))
        for name, shape in SHAPES.items():
            masked = [protect(s, GLOSSARY, placeholders=shape) for s in data]
            started = time.perf_counter()
            outputs = engine.translate([m.text for m in masked])
            rows.append((name, masked, survival(masked, outputs), len(data), time.perf_counter() - started, outputs))
        started = time.perf_counter()
        units = [fallback_units(m) for m in base]
        flat = engine.translate([u for group in units for u in group])
        spent = iter(flat)
        split = [assemble(m, [next(spent) for _ in group]).text for m, group in zip(base, units, strict=True)]
        exact, terms, _, _ = final_check(base, split)
        rows.append(("split (fallback only)", base, (len(data), exact, terms - exact, 0, terms), len(flat),
                     time.perf_counter() - started, split))
        for name, masked, (whole, kept, lost, dup, total), calls, seconds, outs in rows:
            check = verbatim if name.startswith("verbatim") else survival
            part = [check(masked[a:b], outs[a:b])[0] for a, b in ((0, news), (news, len(data)))] \
                if not name.startswith("split") else [news, len(data) - news]
            print(f"| {name} | {whole}/{len(data)} ({whole / len(data):.1%}) "
                  f"| {part[0] / news:.0%} / {part[1] / (len(data) - news):.0%} "
                  f"| {kept}/{total} ({kept / total:.1%}) | {lost} | {dup} | {calls} | {seconds:.1f} |")
            for item, out in list(zip(masked, outs, strict=True))[: args.show]:
                print(f"|  | `{item.text}` -> `{out}` | | | | | | |")
        printf_out = rows[1][5]
        failed = [i for i, (m, o) in enumerate(zip(base, printf_out, strict=True)) if restore(m, o) is None]
        digits = [protect(data[i], GLOSSARY, placeholders=SHAPES["digits 1001"]) for i in failed]
        second = engine.translate([m.text for m in digits])
        rescued = sum(restore(m, o) is not None for m, o in zip(digits, second, strict=True))
        print(f"\nprintf, then digits for the {len(failed)} sentences printf lost: {rescued} rescued "
              f"({len(failed) - rescued} left for the split fallback)")
        started = time.perf_counter()
        calls: list[int] = []

        def counting(batch: Sequence[str]) -> list[str]:
            calls.append(len(batch))
            return engine.translate(batch)

        final = translate_protected(base, counting)
        seconds = time.perf_counter() - started
        exact, terms, applied, targets = final_check(base, [r.text for r in final])
        fallbacks = sum(r.fallback for r in final)
        print(f"\nprintf + fallback (translate_protected): terms with the exact count {exact}/{terms} "
              f"({exact / terms:.1%}); glossary targets applied {applied}/{targets}; "
              f"{fallbacks} sentences took the fallback; engine calls {calls}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
