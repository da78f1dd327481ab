#!/usr/bin/env python3
"""A synthetic customer base for rescreening benchmarks: JSON lines of people and companies.

Names are drawn (seeded) from common Spanish and English given names and surnames, and one
customer in 2,000 takes a listed party's name from the SDN file given, so runs find hits.

    python3 bench/screening/customers.py --count 1000000 --seed 1 \
        --sdn data/lists/ofac_sdn_2024-05-03/sdn.csv > /tmp/cust1m.jsonl
"""
import argparse
import csv
import json
import random
import sys

GIVEN = """Jose Maria Juan Luis Carlos Ana Jorge Miguel Rosa Pedro Carmen Francisco Laura Antonio
Manuel Elena Javier Sofia David Lucia Daniel Paula Alejandro Marta Fernando Isabel Ricardo
Patricia Roberto Gabriela Sergio Andrea Eduardo Claudia Raul Teresa Alberto Veronica Hector
John Mary James Linda Robert Susan Michael Karen William Nancy Richard Lisa Thomas Emily
Wei Li Chen Mohammed Fatima Ali Omar Aisha Ivan Olga Dmitri Svetlana Kenji Yuki""".split()
SURNAMES = """Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores
Rivera Gomez Diaz Cruz Morales Reyes Gutierrez Ortiz Chavez Ruiz Jimenez Mendoza Alvarez Castillo
Romero Vargas Medina Aguilar Herrera Moreno Castro Vasquez Rojas Salazar Guzman Nunez Soto
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin
Wang Zhang Liu Khan Hassan Ahmed Ivanov Petrov Tanaka Sato Kim Park Nguyen Tran""".split()
FORMS = ["SA de CV", "LLC", "Ltd", "SRL", "Inc", "SA", "GmbH", "Trading", "Holdings"]


def listed(path):
    names = []
    with open(path, encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[0].strip().isdigit() and row[2] in ("individual", "-0- "):
                names.append((row[1].strip(), "Person" if row[2] == "individual" else "Company"))
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sdn", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    parties = listed(args.sdn)
    out = sys.stdout
    for i in range(args.count):
        record = {"id": f"cust-{i:07d}"}
        if parties and rng.random() < 0.0005:
            name, schema = rng.choice(parties)
            record.update(name=name, schema=schema)
        elif rng.random() < 0.85:
            given = rng.choice(GIVEN)
            if rng.random() < 0.3:
                given += " " + rng.choice(GIVEN)
            family = rng.choice(SURNAMES)
            if rng.random() < 0.6:
                family += " " + rng.choice(SURNAMES)
            record.update(name=f"{given} {family}", schema="Person")
            record["birth_date"] = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            record["country"] = rng.choice(["mx", "us", "co", "gt", "es", "cn"])
        else:
            words = rng.sample(SURNAMES, 2)
            record.update(name=f"{words[0]} {words[1]} {rng.choice(FORMS)}", schema="Company")
        out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
