"""Write crates/interdict-model/src/ftm_values.tsv from followthemoney and its helpers.

Usage: python3 tools/ftm_values.py crates/interdict-model/src/ftm_values.tsv
"""
import sys
import followthemoney
from followthemoney.types import registry
from rigour.data.langs.iso639 import ISO3_ALL, ISO3_MAP
from rigour.langs import iso_639_alpha3
from stdnum import bic, isin, numdb

out = open(sys.argv[1], "w", encoding="utf-8")
w = lambda *cols: out.write("\t".join(cols) + "\n")
out.write(f"# generated from followthemoney {followthemoney.__version__} and the libraries it uses\n")
out.write("# (rigour for languages, python-stdnum for BIC, ISIN and IBAN, phonenumbers for\n")
out.write("# libphonenumber's number patterns); see value.rs\n")
out.write("# kind\tkey\tvalue\n")
for code in sorted(registry.country.codes):
    w("country", code)
for code in sorted(registry.gender.codes):
    w("gender", code)
for key, code in registry.gender.LOOKUP.items():
    w("gender", key, code)
for code in sorted(registry.topic.codes):
    w("topic", code)
whitelist = set(registry.language.LANGUAGES)
keys = {}
for key, code in ISO3_MAP.items():
    if code in whitelist and code in ISO3_ALL:
        keys[key] = code
for code in whitelist:
    keys.setdefault(code, code)
# Tags that name a language FtM does not list, but whose primary subtag it does:
for key, code in ISO3_MAP.items():
    if key in keys or ("-" not in key and "_" not in key):
        continue
    primary = key.split("-" if "-" in key else "_", 1)[0]
    if iso_639_alpha3(key) not in whitelist and iso_639_alpha3(primary) in whitelist:
        keys[key] = ""
for key in sorted(keys):
    assert "\t" not in key
    # sanity: our table reproduces rigour for every key
    expect = iso_639_alpha3(key)
    assert (keys[key] or None) == (expect if expect in whitelist else None), (key, keys[key], expect)
    w("language", key, keys[key])
w("bic-country", "", " ".join(sorted(bic._country_codes)))
w("isin-country", "", " ".join(sorted(set(isin._country_codes))))
db = numdb.get("iban")
for line in open(numdb.__file__.replace("numdb.py", "iban.dat")):
    if line.startswith("#") or not line.strip():
        continue
    cc = line.split()[0]
    props = db.info(cc + "00")[0][1]
    w("iban", cc, props["bban"])
banks = numdb.get("be/banks")
known = [p for p in range(1000) if banks.info("%03d" % p)[0][1]]
ranges, start = [], None
for p in range(1001):
    if p in known and start is None:
        start = p
    if p not in known and start is not None:
        ranges.append((start, p - 1)); start = None
w("iban-be-bank", "", " ".join("%03d-%03d" % r for r in ranges))
# libphonenumber's validation data as FtM's phonenumbers holds it: for each
# calling code its regions in lookup order, each region's leading digits, and
# its number descriptions (general first) with possible lengths and patterns.
import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata
TYPES = ["general_desc", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
         "pager", "uan", "voicemail", "fixed_line", "mobile"]
for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[cc]:
        if region == "001":
            meta = PhoneMetadata.metadata_for_nongeo_region(cc)
        else:
            meta = PhoneMetadata.metadata_for_region(region)
        if meta is None:
            continue
        key = f"{cc}-{region}"
        w("phone-region", key, meta.leading_digits or "")
        for t in TYPES:
            d = getattr(meta, t)
            if d is None or not d.national_number_pattern:
                continue
            assert "\t" not in d.national_number_pattern and " " not in d.national_number_pattern
            lengths = ",".join(str(n) for n in d.possible_length)
            w("phone-desc", key, lengths + " " + d.national_number_pattern)
