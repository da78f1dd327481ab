#!/usr/bin/env python3
"""Regenerate crates/interdict-model/src/ftm_schema.tsv from the followthemoney library.

The table lists, for the schemata interdict supports and their ancestors, each
schema (parents, abstract, caption, required) and each property it declares
(type, range, reverse, stub, format). interdict reads it at compile time.

Usage: python3 tools/ftm_schema.py > crates/interdict-model/src/ftm_schema.tsv
"""
from followthemoney import model
want = ["Person","Organization","Company","LegalEntity","Vessel","Airplane","CryptoWallet","BankAccount","RealEstate","Address","Identification","Passport","Sanction","Ownership","Directorship","Family","Associate","Membership","UnknownLink"]
seen = []
def visit(s):
    for e in s.extends: visit(e)
    if s not in seen: seen.append(s)
for n in want: visit(model.get(n))
print("# generated from followthemoney", __import__("followthemoney").__version__)
for s in seen:
    print("\t".join(["schema", s.name, ",".join(e.name for e in s.extends), "abstract" if s.abstract else "concrete", ",".join(s.caption), ",".join(sorted(s.required))]))
    for p in sorted(s.properties.values(), key=lambda p:p.name):
        if p.schema is s:
            print("\t".join(["prop", s.name, p.name, p.type.name, p.range.name if p.range else "", p.reverse.name if p.reverse else "", "stub" if p.stub else "", getattr(p, "format", None) or ""]))
