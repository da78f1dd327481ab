#!/usr/bin/env python3
"""Validate an interdict FtM export with OpenSanctions' own followthemoney library.

Every line must load as an entity of a known, concrete schema; every property
must exist on that schema and not be a reverse (stub) property; every value must
pass the property type's validation (country codes, dates, emails, ...); every
entity reference must point at an entity in the same file. With
--schema-table, the table interdict's model is built from must also agree with
the installed library.

Usage: ftm_validate.py EXPORT.jsonl [--schema-table ftm_schema.tsv]
Exit 0 when valid; 1 with the first problems printed otherwise.
"""
import argparse
import json
import sys
from collections import Counter

from followthemoney import model


def check_export(path):
    problems, ids, refs, schemata = [], set(), [], Counter()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            data = json.loads(line)
            schema = model.get(data.get("schema"))
            if schema is None or schema.abstract:
                problems.append(f"line {n}: bad schema {data.get('schema')!r}")
                continue
            proxy = model.get_proxy(data, cleaned=False)
            ids.add(proxy.id)
            schemata[schema.name] += 1
            for prop_name, values in data.get("properties", {}).items():
                prop = schema.get(prop_name)
                if prop is None or prop.stub:
                    problems.append(f"line {n}: {schema.name} has no settable property {prop_name!r}")
                    continue
                for value in values:
                    if not prop.type.validate(value):
                        problems.append(f"line {n}: {schema.name}.{prop_name} value {value!r} is not a valid {prop.type.name}")
                    if prop.type.name == "entity":
                        refs.append((n, prop_name, value))
                kept = proxy.get(prop_name)
                if len(kept) != len(set(values)):
                    problems.append(f"line {n}: followthemoney dropped values of {prop_name}: {values!r} -> {kept!r}")
    for n, prop_name, value in refs:
        if value not in ids:
            problems.append(f"line {n}: {prop_name} points at {value!r}, which is not in the export")
    return problems, len(ids), schemata


def check_table(path):
    problems = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "prop":
                schema = model.get(cols[1])
                prop = schema.get(cols[2]) if schema else None
                if prop is None or prop.type.name != cols[3]:
                    problems.append(f"schema table: {cols[1]}.{cols[2]} ({cols[3]}) differs from followthemoney")
            elif cols[0] == "schema" and model.get(cols[1]) is None:
                problems.append(f"schema table: schema {cols[1]} unknown to followthemoney")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--schema-table")
    args = parser.parse_args()
    problems, count, schemata = check_export(args.export)
    if args.schema_table:
        problems += check_table(args.schema_table)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(schemata.items()))
    print(f"followthemoney checked {count} entities ({summary}): {len(problems)} problems")
    kinds = Counter(p.split(": ", 1)[1].split(" value ")[0].split(" [")[0].split(": [")[0] for p in problems)
    for kind, n in kinds.most_common(20):
        print(f"  {n:6d} x {kind}")
    for p in problems[:int(__import__("os").environ.get("FTM_SHOW", "30"))]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
