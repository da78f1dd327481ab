#!/usr/bin/env python3
"""Peer runner: screens labelled cases with nomenklatura's `logic-v2` matcher.

The list data is an FtM JSON lines export (`interdict export --format ftm`), so the peer sees
exactly the entities interdict screens against. For each case:

1. retrieval: a deliberately generous blocking step over every matchable list entity (shared
   folded or transliterated name tokens, character trigram overlap, metaphone keys), keeping
   the best `--candidates` entities whose schema the query schema can match;
2. scoring: `logic-v2` `compare(query, candidate, config)` with its default config on every
   candidate; candidates are ranked by score (ties keep the retrieval order, as yente keeps the
   search order among equal scores) and those at or above `--threshold` are the hits.

Outcomes mirror `interdict eval screening` (crates/interdict-screen/src/eval.rs): a
`must_match` case is a top-1 hit when the first hit is `expected` or one of `also_ok`, a top-5
hit when any of the first five hits is; any other case is a negative, and a false positive when
it has any hit at all.

Prints one JSON report on standard output; `--details FILE` writes one JSON line per case.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from collections import defaultdict
from importlib.metadata import version

import numpy as np
from followthemoney import model
from followthemoney.types import registry
from normality import ascii_text
from rigour.text.phonetics import metaphone

from nomenklatura.matching import get_algorithm

ALGORITHM = "logic-v2"
# yente's default `threshold` for /match (settings.SCORE_THRESHOLD); nomenklatura itself
# defines no threshold.
YENTE_THRESHOLD = 0.7
PARTY_SCHEMATA = ("LegalEntity", "Vessel", "Airplane")
# A query token carried by at most this many list names counts as rare (see Blocker.candidates).
RARE_TOKEN_NAMES = 50


def fold(text: str) -> str:
    """Accents off, case folded, everything but letters and digits turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch.casefold() if ch.isalnum() else " ")
    return "".join(out)


def name_keys(name: str) -> tuple[set[str], set[str], set[str]]:
    """Tokens (original script and Latin), trigrams and phonetic keys of one name."""
    latin = fold(ascii_text(name) or "")
    native = fold(name)
    latin_tokens = latin.split()
    tokens = set(latin_tokens) | set(native.split())
    trigrams: set[str] = set()
    for tok in latin_tokens:
        padded = f" {tok} "
        trigrams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    # Trigrams of the name with its spaces removed: survives glued or split tokens.
    compact = "".join(latin_tokens)
    trigrams.update(compact[i : i + 3] for i in range(len(compact) - 2))
    phones = {metaphone(t) for t in latin_tokens if len(t) > 1}
    phones.discard("")
    return tokens, trigrams, phones


class Blocker:
    """An inverted index over every name of every matchable list entity."""

    def __init__(self, entities: list) -> None:
        self.entities = entities
        name_entity: list[int] = []
        post_tok: dict[str, list[int]] = defaultdict(list)
        post_tri: dict[str, list[int]] = defaultdict(list)
        post_ph: dict[str, list[int]] = defaultdict(list)
        for e_idx, entity in enumerate(entities):
            for name in sorted(entity.get_type_values(registry.name)):
                tokens, trigrams, phones = name_keys(name)
                if not tokens:
                    continue
                n_idx = len(name_entity)
                name_entity.append(e_idx)
                for t in tokens:
                    post_tok[t].append(n_idx)
                for g in trigrams:
                    post_tri[g].append(n_idx)
                for p in phones:
                    post_ph[p].append(n_idx)
        self.n_names = len(name_entity)
        self.name_entity = np.array(name_entity, dtype=np.int64)
        as_arrays = lambda d: {k: np.array(v, dtype=np.int64) for k, v in d.items()}  # noqa: E731
        self.post_tok = as_arrays(post_tok)
        self.post_tri = as_arrays(post_tri)
        self.post_ph = as_arrays(post_ph)
        # Rare keys count for more: a token or trigram weighs log(names / names with it) + 1.
        idf = lambda d: {k: math.log(self.n_names / len(v)) + 1.0 for k, v in d.items()}  # noqa: E731
        self.idf = idf(self.post_tok)
        self.tri_idf = idf(self.post_tri)
        self.max_idf = math.log(self.n_names) + 1.0
        self.name_tri_weight = np.zeros(self.n_names)
        for g, ids in self.post_tri.items():
            self.name_tri_weight[ids] += self.tri_idf[g]
        self.name_tok_weight = np.zeros(self.n_names)
        for t, ids in self.post_tok.items():
            self.name_tok_weight[ids] += self.idf[t]
        self.schema_masks: dict[str, np.ndarray] = {}

    def mask(self, schema) -> np.ndarray:
        if schema.name not in self.schema_masks:
            self.schema_masks[schema.name] = np.array(
                [schema.can_match(e.schema) for e in self.entities], dtype=bool
            )
        return self.schema_masks[schema.name]

    def _count(self, postings: dict[str, np.ndarray], keys, weights=None) -> np.ndarray:
        arrays = [postings[k] for k in keys if k in postings]
        if not arrays:
            return np.zeros(self.n_names)
        ids = np.concatenate(arrays)
        w = None
        if weights is not None:
            w = np.concatenate(
                [np.full(len(postings[k]), weights[k]) for k in keys if k in postings]
            )
        return np.bincount(ids, weights=w, minlength=self.n_names).astype(np.float64)

    def candidates(self, names: list[str], schema, limit: int) -> list[int]:
        """The best `limit` entities for the query names, best first, then up to `limit // 4`
        more that share one of the query's rarest tokens (so that a rare name next to a
        common phrase such as LIMITED LIABILITY COMPANY is not crowded out)."""
        best = np.zeros(len(self.entities))
        rare: list[tuple[int, str]] = []
        for name in names:
            tokens, trigrams, phones = name_keys(name)
            if not tokens:
                continue
            rare.extend((len(self.post_tok[t]), t) for t in tokens if t in self.post_tok)
            score = np.zeros(self.n_names)
            if trigrams:
                # Dice overlap of the two trigram sets, each trigram weighted by rarity.
                w = {g: self.tri_idf.get(g, self.max_idf) for g in trigrams}
                shared = self._count(self.post_tri, trigrams, w)
                score += 2.0 * shared / (sum(w.values()) + self.name_tri_weight)
            # Shared tokens, weighted by rarity and normalised by both names (cosine), so that
            # sharing a rare token outweighs sharing a common legal form.
            idf = {t: self.idf.get(t, self.max_idf) for t in tokens}
            shared = self._count(self.post_tok, tokens, idf)
            score += shared / np.sqrt(sum(idf.values()) * self.name_tok_weight)
            if phones:
                score += self._count(self.post_ph, phones) / len(phones)
            hit = np.nonzero(score)[0]
            np.maximum.at(best, self.name_entity[hit], score[hit])
        mask = self.mask(schema)
        best[~mask] = 0.0
        hit = np.nonzero(best)[0]
        if len(hit) > limit:
            hit = hit[np.argpartition(-best[hit], limit - 1)[:limit]]
        # Best first; equal scores by entity id, so the order is reproducible.
        ranked = sorted(hit.tolist(), key=lambda i: (-best[i], self.entities[i].id))
        chosen = set(ranked)
        extra: set[int] = set()
        for df, token in sorted(rare)[:3]:
            if df > RARE_TOKEN_NAMES:
                break
            for e in self.name_entity[self.post_tok[token]].tolist():
                if mask[e] and e not in chosen:
                    extra.add(e)
        ranked.extend(sorted(extra, key=lambda i: (-best[i], self.entities[i].id))[: limit // 4])
        return ranked


def load_entities(path: str) -> list:
    entities = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            data = json.loads(line)
            schema = model.get(data["schema"])
            if schema is None or not any(schema.is_a(s) for s in PARTY_SCHEMATA):
                continue
            entity = model.get_proxy(data)
            if entity.get_type_values(registry.name):
                entities.append(entity)
    return entities


def query_entity(case: dict):
    schema = case.get("schema") or "LegalEntity"
    entity = model.make_entity(schema)
    entity.id = f"query-{case['id']}"
    entity.add("name", case["query"])
    if case.get("birth_date") and entity.schema.get("birthDate"):
        entity.add("birthDate", case["birth_date"])
    if case.get("country"):
        prop = "nationality" if entity.schema.get("nationality") else "country"
        entity.add(prop, case["country"])
    return entity


def new_tally() -> dict:
    return {"positives": 0, "top1": 0, "top5": 0, "negatives": 0, "false_positives": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", required=True, help="FtM JSON lines (interdict export)")
    parser.add_argument("--cases", required=True, help="cases as JSON lines")
    parser.add_argument("--candidates", type=int, default=100, help="candidates per query")
    parser.add_argument("--threshold", type=float, default=YENTE_THRESHOLD)
    parser.add_argument("--details", help="write one JSON line per case here")
    args = parser.parse_args()

    algorithm = get_algorithm(ALGORITHM)
    assert algorithm is not None, ALGORITHM
    config = algorithm.default_config()

    t0 = time.perf_counter()
    entities = load_entities(args.entities)
    t1 = time.perf_counter()
    blocker = Blocker(entities)
    t2 = time.perf_counter()
    with open(args.cases, encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]

    # The first comparison loads rigour's name data; keep it out of the per-query timings.
    warm = query_entity({"id": "warmup", "query": "John Smith", "schema": "Person"})
    for i in blocker.candidates(["John Smith"], warm.schema, 5):
        algorithm.compare(warm, entities[i], config)
    t3 = time.perf_counter()

    overall = new_tally()
    groups: dict[str, dict] = defaultdict(new_tally)
    pools: dict[str, dict] = defaultdict(new_tally)
    retrieval_s = scoring_s = 0.0
    pairs = 0
    retrieved_ok = 0
    retrieval_cuts = sorted({c for c in (1, 5, 10, 25, 50) if c < args.candidates})
    retrieved_at = {c: 0 for c in retrieval_cuts}
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    for case in cases:
        query = query_entity(case)
        started = time.perf_counter()
        cands = blocker.candidates(query.get("name"), query.schema, args.candidates)
        mid = time.perf_counter()
        scored = []
        for rank, idx in enumerate(cands):
            result = algorithm.compare(query, entities[idx], config)
            scored.append((result.score, rank, idx))
        done = time.perf_counter()
        retrieval_s += mid - started
        scoring_s += done - mid
        pairs += len(cands)

        scored.sort(key=lambda s: (-s[0], s[1]))
        hits = [s for s in scored if s[0] >= args.threshold][:5]
        hit_ids = [entities[s[2]].id for s in hits]
        tally = new_tally()
        ok_ids = set()
        record = {"id": case["id"], "group": case.get("group", ""), "kind": case["kind"]}
        if case["kind"] == "must_match":
            ok_ids = {case.get("expected")} | set(case.get("also_ok") or [])
            tally["positives"] = 1
            tally["top1"] = int(bool(hit_ids) and hit_ids[0] in ok_ids)
            tally["top5"] = int(any(h in ok_ids for h in hit_ids))
            rank = next((r for r, i in enumerate(cands) if entities[i].id in ok_ids), None)
            in_cands = rank is not None
            retrieved_ok += int(in_cands)
            if in_cands:
                for cut in retrieval_cuts:
                    if rank < cut:
                        retrieved_at[cut] += 1
            expected_score = max(
                (s[0] for s in scored if entities[s[2]].id in ok_ids), default=None
            )
            record.update(
                top1=bool(tally["top1"]),
                top5=bool(tally["top5"]),
                retrieved=in_cands,
                retrieval_rank=rank,
                expected_score=expected_score,
            )
        else:
            tally["negatives"] = 1
            tally["false_positives"] = int(bool(hits))
            record["false_positive"] = bool(hits)
        for t in (overall, groups[case.get("group", "")], pools[case.get("pool", "")]):
            for k, v in tally.items():
                t[k] += v
        if details is not None:
            record["got"] = [
                [entities[s[2]].id, entities[s[2]].caption, round(s[0], 4)] for s in hits
            ]
            details.write(json.dumps(record, ensure_ascii=False) + "\n")
    if details is not None:
        details.close()

    n = len(cases)
    rate = lambda a, b: a / b if b else None  # noqa: E731
    report = {
        "tool": "nomenklatura",
        "algorithm": ALGORITHM,
        "version": version("nomenklatura"),
        "followthemoney": version("followthemoney"),
        "rigour": version("rigour"),
        "threshold": args.threshold,
        "candidates_per_query": args.candidates,
        "cases": n,
        "entities": len(entities),
        "names_indexed": blocker.n_names,
        "overall": overall,
        "recall1": rate(overall["top1"], overall["positives"]),
        "recall5": rate(overall["top5"], overall["positives"]),
        "fp_rate": rate(overall["false_positives"], overall["negatives"]),
        "retrieval_recall": rate(retrieved_ok, overall["positives"]),
        # Share of positives whose expected entity is among the first k candidates.
        "retrieval_recall_at": {
            str(c): rate(v, overall["positives"]) for c, v in retrieved_at.items()
        },
        "groups": dict(sorted(groups.items())),
        "pools": dict(sorted(pools.items())),
        "timing": {
            "load_s": t1 - t0,
            "index_s": t2 - t1,
            "warmup_s": t3 - t2,
            "retrieval_s": retrieval_s,
            "scoring_s": scoring_s,
            "pairs_scored": pairs,
            "us_per_pair": 1e6 * scoring_s / pairs if pairs else None,
            "qps_scoring": n / scoring_s if scoring_s else None,
            "qps_total": n / (retrieval_s + scoring_s) if n else None,
        },
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
