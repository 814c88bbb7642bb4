#!/usr/bin/python3
"""cds_check.py: checks a CDS Curbs API response set written by `parkzones export --format cds`.

  cds_check.py validate SCHEMA_DIR DIR   each of DIR/{zones,areas,policies}.json against the
                                          200 response schema of /curbs/{zones,areas,policies}
                                          in SCHEMA_DIR/APIs/Curbs API.yaml; every error is
                                          printed; exit 1 when there is one
  cds_check.py tables DIR                 reads the documents back into the rows of our tables,
                                          one line each, sorted (see tables() below)

Debian's python3-jsonschema (4.10) and python3-yaml; no network. The vendored schemas are
those of openmobilityfoundation/cds-openapi (tests/vendor/cds-openapi/README.md), read as
they are, with one correction applied here: their geoJSON_polygon.yaml gives a Polygon's
"coordinates" the schema of a list of positions (coordinates.yaml), which no RFC 7946
Polygon (a list of rings of positions) can satisfy; here it is a list of such lists.
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone

import jsonschema
import yaml

ENDPOINTS = ("zones", "areas", "policies")
POLYGON_COORDINATES = {   # RFC 7946 3.1.6: an array of linear rings of [lon, lat] positions
    "type": "array", "minItems": 1,
    "items": {"type": "array", "minItems": 4,
              "items": {"type": "array", "minItems": 2, "maxItems": 2,
                        "items": {"type": "number"}}},
}


def load_yaml(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = yaml.safe_load(f)
    return cache[path]


def resolve(node, base):
    """node with every $ref to another file replaced by that file's schema (recursively)."""
    if isinstance(node, list):
        return [resolve(v, base) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        path = os.path.normpath(os.path.join(os.path.dirname(base), ref.split("#")[0]))
        target = resolve(load_yaml(path), path)
        if os.path.basename(path) == "geoJSON_polygon.yaml":
            target = dict(target, properties=dict(target["properties"],
                                                  coordinates=POLYGON_COORDINATES))
        rest = {k: resolve(v, base) for k, v in node.items() if k != "$ref"}
        return dict(target, **rest) if rest else target
    return {k: resolve(v, base) for k, v in node.items()}


def response_schema(schema_dir, endpoint):
    api_path = os.path.join(schema_dir, "APIs", "Curbs API.yaml")
    api = load_yaml(api_path)
    ok = api["paths"]["/curbs/" + endpoint]["get"]["responses"]["200"]
    return resolve(ok["content"]["application/json"]["schema"], api_path)


def validate(schema_dir, out_dir):
    errors = 0
    for endpoint in ENDPOINTS:
        schema = response_schema(schema_dir, endpoint)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        with open(os.path.join(out_dir, endpoint + ".json"), encoding="utf-8") as f:
            doc = json.load(f)
        found = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in found:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{endpoint}.json: {where or '(document)'}: {e.message}")
        n = len(doc.get("data", {}).get(endpoint, [])) if isinstance(doc, dict) else 0
        print(f"{endpoint}.json: {n} {endpoint}, {len(found)} errors")
        errors += len(found)
    return 1 if errors else 0


def local_date(ms, tz_offset):
    """A CDS timestamp (ms) at a local midnight -> YYYY-MM-DD in the feed's zone."""
    t = datetime.fromtimestamp(ms / 1000, timezone(timedelta(seconds=tz_offset)))
    assert (t.hour, t.minute, t.second) == (0, 0, 0), f"{ms} is not a local midnight"
    return t.date()


def tables(out_dir, tz_offset):
    """Prints, sorted:
         block|ZONE|CURB_ZONE_ID|STREET|FROM|TO
         policy|ZONE|PRIORITY|RATE|HOLIDAYS_FREE|MAX_STAY_MINUTES|DAYS|START|END|FROM|TO
         holiday|YYYY-MM-DD
       in the shapes of street_blocks, tariff_policies + tariff_policy_spans and holidays."""
    docs = {}
    for endpoint in ENDPOINTS:
        with open(os.path.join(out_dir, endpoint + ".json"), encoding="utf-8") as f:
            docs[endpoint] = json.load(f)["data"][endpoint]
    lines = []
    zone_of_policy = {}
    for z in docs["zones"]:
        lines.append("block|{}|{}|{}|{}|{}".format(z["user_zone_id"], z["curb_zone_id"],
                     z["street_name"], z["cross_street_start_name"], z["cross_street_end_name"]))
        for pid in z["curb_policy_ids"]:
            zone_of_policy.setdefault(pid, set()).add(z["user_zone_id"])
    for p in docs["policies"]:
        if p["priority"] == 0:          # the holiday calendar
            for span in p["time_spans"]:
                d = local_date(span["start_date"], tz_offset)
                end = local_date(span["end_date"], tz_offset)
                while d < end:
                    lines.append(f"holiday|{d}")
                    d += timedelta(days=1)
            continue
        rule = p["rules"][0]
        rate = rule["rate"][0]["rate"] if "rate" in rule else 0
        assert "rate" not in rule or rule["rate"][0]["rate_unit"] == "hour"
        stay = rule.get("max_stay")
        if stay is not None:
            stay *= {"hour": 60, "minute": 1}[rule["max_stay_unit"]]
        spans = [s for s in p.get("time_spans", []) if "designated_period" not in s]
        free = any(s.get("designated_period") == "holidays" and s.get("designated_period_except")
                   for s in p.get("time_spans", []))
        for zone in sorted(zone_of_policy.get(p["curb_policy_id"], {"?"})):
            for s in spans or [None]:
                if s is None:
                    span = "||||"
                else:
                    frm = local_date(s["start_date"], tz_offset) if "start_date" in s else ""
                    to = (local_date(s["end_date"], tz_offset) - timedelta(days=1)
                          if "end_date" in s else "")
                    span = "{}|{}|{}|{}|{}".format(",".join(s["days_of_week"]),
                                                   s["time_of_day_start"], s["time_of_day_end"],
                                                   frm, to)
                lines.append("policy|{}|{}|{}|{}|{}|{}".format(
                    zone, p["priority"], rate, "t" if free else "f",
                    "" if stay is None else stay, span))
    print("\n".join(sorted(lines)))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "validate":
        return validate(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "tables":
        return tables(argv[2], int(argv[3]))
    sys.stderr.write("usage: cds_check.py validate SCHEMA_DIR DIR | tables DIR UTC_OFFSET_SECONDS\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
