#!/usr/bin/env python3
"""An independent validator of the jiexu standard, run against its conformance suite.

    python3 check_suite.py schemas/<version>/tests

Written from docs/standard/conformance.md alone (the § numbers below are that page's), on top
of the `jsonschema` library (4.10 or later: Debian bookworm's python3-jsonschema). It loads the
schemas of the version folder (and of the other released versions beside it) from disk -- $ids
are names, nothing is fetched -- adds the custom formats and the rules across fields, runs every
case of the suite and compares validity and the set of (code, pointer, severity). The last line
is `N passed, M failed`; the exit code is 0 only when M is 0 (2 for a usage or I/O problem).

The signature cases (signatures.json, §10) are checked with Ed25519 from the `cryptography` library
(Debian: python3-cryptography) and a JCS (RFC 8785) written here.

Copy this one file; it needs nothing but Python 3.9+, jsonschema and cryptography.
"""
import base64
import hashlib
import json
import re
import sys
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urldefrag

# jsonschema 4.18+ prefers its `referencing` library to RefResolver, the API 4.10 has; both work.
warnings.filterwarnings("ignore", message=".*deprecated as of v4\\.18", category=DeprecationWarning)
try:
    # RefResolver: the one $ref API of every jsonschema 4.x (4.10 has no `referencing` library).
    from jsonschema import Draft202012Validator, RefResolver, validators
    from jsonschema.exceptions import ValidationError
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("check_suite.py needs the jsonschema library: apt-get install python3-jsonschema (or pip install jsonschema)\n")
    sys.exit(2)

class Unusable(Exception):
    """The suite or the schemas cannot be used as they are (exit code 2)."""


# ------------------------------------------------------------------ issues (§1)


class Issue(ValidationError):
    """A finding with the standard's code and severity; its pointer comes from the error path."""

    def __init__(self, code, severity="error", path=(), **extra):
        super().__init__(code, path=path)
        self.code = code
        self.severity = severity
        self.extra = extra


def pointer_of(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def value_at(doc, pointer):
    node = doc
    for raw in pointer.split("/")[1:] if pointer else []:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    return node


# ------------------------------------------------------------------ loading (§2)

LIBRARY_KEYWORDS = {"$schema", "$id", "$comment", "title", "description", "$defs", "definitions", "examples"}


class Standard:
    """The schemas of the released versions found beside the suite's version folder."""

    def __init__(self, version_dir):
        if not re.fullmatch(r"[0-9]+\.[0-9]+", version_dir.name) or not any(version_dir.rglob("*.schema.json")):
            raise Unusable(f"{version_dir}: not a version folder of the standard (schemas/<major>.<minor>/ with its schemas)")
        schemas_dir = version_dir.parent
        self.version = version_dir.name
        versions_file = schemas_dir / "versions.json"
        released = [self.version]
        if versions_file.exists():
            listed = json.loads(versions_file.read_text("utf-8"))["versions"]
            released = [v["version"] for v in listed if v["status"] == "released" and (schemas_dir / v["version"]).is_dir()]
            if self.version not in released:
                released.append(self.version)
        self.supported = sorted(released, key=lambda v: tuple(int(x) for x in v.split(".")))
        self.by_id = {}
        for v in self.supported:
            for f in sorted((schemas_dir / v).rglob("*.schema.json")):
                if {"examples", "tests"} & set(f.relative_to(schemas_dir / v).parts):
                    continue
                schema = json.loads(f.read_text("utf-8"))
                if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
                    raise Unusable(f"{f}: not a JSON Schema 2020-12 document")
                # jsonschema picks its own stock validator class for a subschema that names its
                # $schema: without it, this checker's keywords apply across every $ref.
                del schema["$schema"]
                self.by_id[schema["$id"]] = schema
        # §5.4: the region list, the same file in every version; the latest supported one is used.
        regions = json.loads((schemas_dir / self.supported[-1] / "codelists" / "region.json").read_text("utf-8"))
        self.regions = {c["code"] for c in regions["codes"]}
        self.resolver_store = dict(self.by_id)

    def version_of(self, schema_id):
        return schema_id.split("/standard/")[1].split("/")[0]

    def documents(self):
        return [(i, s) for i, s in self.by_id.items() if set(s) - LIBRARY_KEYWORDS]

    def is_envelope(self, schema):
        props = schema.get("properties", {})
        return "specversion" in props and "data" in props

    def message_type(self, schema_id):
        m = re.search(r"/standard/([0-9]+)\.[0-9]+/messages/(.+)\.schema\.json$", schema_id)
        return f"cn.jiexu.{m.group(2)}.v{m.group(1)}" if m else None


# ------------------------------------------------------------------ formats (§5)

DATE = re.compile(r"(\d\d\d\d)-(\d\d)-(\d\d)", re.ASCII)
TIME = re.compile(r"(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?", re.ASCII | re.IGNORECASE)


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def month_days(y, m):
    return [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def is_date(s):
    m = DATE.fullmatch(s)
    if not m:
        return False
    y, mo, d = (int(x) for x in m.groups())
    return 1 <= mo <= 12 and 1 <= d <= month_days(y, mo)


def is_time_with_offset(s):
    m = TIME.fullmatch(s)
    if not m or not m.group(4):
        return False
    hr, mi, sec = int(m.group(1)), int(m.group(2)), float(m.group(3))
    sign = -1 if m.group(5) == "-" else 1
    tzh, tzm = int(m.group(6) or 0), int(m.group(7) or 0)
    if tzh > 23 or tzm > 59:
        return False
    if hr <= 23 and mi <= 59 and sec < 60:
        return True
    utc = (hr * 60 + mi - sign * (tzh * 60 + tzm)) % 1440  # a leap second: 23:59:60 UTC
    return hr <= 23 and mi <= 59 and sec < 61 and utc == 23 * 60 + 59


def is_date_time(s):
    parts = re.split(r"[tT\s]", s)
    return len(parts) == 2 and is_date(parts[0]) and is_time_with_offset(parts[1])


ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_SET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def today_in_china():
    return datetime.now(timezone(timedelta(hours=8))).strftime("%Y-%m-%d")


def citizen_id_problems(value, regions):
    """§5.2: (code, severity) list, and what the ID encodes when it has no error."""
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        return [("format", "error")], None
    problems = []
    y, m, d = int(value[6:10]), int(value[10:12]), int(value[12:14])
    birth = f"{value[6:10]}-{value[10:12]}-{value[12:14]}"
    if not (1 <= m <= 12 and 1 <= d <= month_days(y, m)) or y < 1900 or birth > today_in_china():
        problems.append(("citizen-id-birth-date", "error"))
    s = sum(int(c) * w for c, w in zip(value[:17], ID_WEIGHTS))
    if value[17] != "10X98765432"[s % 11]:
        problems.append(("citizen-id-check", "error"))
    if value[:6] not in regions:
        problems.append(("region-unknown", "warning"))
    ok = not any(sev == "error" for _, sev in problems)
    return problems, ({"gender": "M" if int(value[16]) % 2 else "F", "birthDate": birth} if ok else None)


def uscc_problems(value):
    """§5.3"""
    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", value):
        return ["format"]
    problems = []
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(value[8:16], ORG_WEIGHTS)) % 11
    if value[16] != ("X" if c == 10 else "0" if c == 11 else str(c)):
        problems.append("uscc-check")
    s = sum(USCC_SET.index(ch) * w for ch, w in zip(value[:17], USCC_WEIGHTS))
    if value[17] != USCC_SET[(31 - s % 31) % 31]:
        problems.append("uscc-check")
    return problems


# ------------------------------------------------------------------ keywords (§4)

KEYWORD_CODES = {
    "type": "type", "enum": "enum", "const": "const", "pattern": "pattern",
    "minimum": "minimum", "exclusiveMinimum": "minimum", "maximum": "maximum", "exclusiveMaximum": "maximum",
    "minLength": "min-length", "maxLength": "max-length", "minItems": "min-items", "maxItems": "max-items",
    "minProperties": "min-properties", "maxProperties": "max-properties", "multipleOf": "multiple-of",
    "anyOf": "any-of", "oneOf": "one-of", "not": "not", "contains": "contains", "minContains": "contains",
    "maxContains": "contains", "propertyNames": "property-name",
    None: "unknown-property",  # a `false` subschema (jsonschema reports it with no keyword)
}


def js_pattern(pattern):
    """ECMA-262 `$` (end of string only) for Python's re: an unescaped `$` outside [...] becomes \\Z."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        out.append("\\Z" if ch == "$" and not in_class else ch)
        i += 1
    return re.compile("".join(out), re.ASCII)


def json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def make_checker_class(standard):
    def required(validator, required, instance, schema):
        if validator.is_type(instance, "object"):
            for name in required:
                if name not in instance:
                    yield Issue("required", path=[name])

    def additional_properties(validator, aP, instance, schema):
        if not validator.is_type(instance, "object"):
            return
        if aP is False:
            props = schema.get("properties", {})
            patterns = [js_pattern(p) for p in schema.get("patternProperties", {})]
            for name in instance:
                if name not in props and not any(p.search(name) for p in patterns):
                    yield Issue("unknown-property", path=[name])
        elif isinstance(aP, dict):
            props = schema.get("properties", {})
            patterns = [js_pattern(p) for p in schema.get("patternProperties", {})]
            for name in instance:
                if name not in props and not any(p.search(name) for p in patterns):
                    yield from validator.descend(instance[name], aP, path=name)

    def properties(validator, properties, instance, schema):
        if validator.is_type(instance, "object"):
            for name, subschema in properties.items():
                if name not in instance:
                    continue
                if subschema is False:  # jsonschema 4.18+ reports a false subschema without its path
                    yield Issue("unknown-property", path=[name])
                else:
                    yield from validator.descend(instance[name], subschema, path=name, schema_path=name)

    def pattern(validator, patrn, instance, schema):
        if validator.is_type(instance, "string") and not js_pattern(patrn).search(instance):
            # §8a: the storable-text pattern (1.2 on) is reported as unstorable-character
            yield Issue("unstorable-character" if patrn == STORABLE_TEXT_PATTERN else "pattern")

    def unique_items(validator, unique, instance, schema):
        if unique and validator.is_type(instance, "array"):
            for i in range(len(instance) - 1, 0, -1):
                if any(json_equal(instance[i], instance[j]) for j in range(i)):
                    yield Issue("unique-items", path=[i])
                    return

    def format_(validator, fmt, instance, schema):
        if not isinstance(instance, str):
            return
        if fmt == "date" and not is_date(instance) or fmt == "date-time" and not is_date_time(instance):
            yield Issue("format")
        elif fmt == "citizen-id":
            problems, encoded = citizen_id_problems(instance, standard.regions)
            for code, severity in problems:
                yield Issue(code, severity, shape=code == "format")
            if encoded:
                yield Issue("_citizen-id", "marker", encoded=encoded)
        elif fmt == "uscc":
            for code in uscc_problems(instance):
                yield Issue(code, shape=code == "format")
        elif fmt == "pooling-region":
            if instance not in standard.regions:
                yield Issue("region-unknown")
        elif fmt not in ("date", "date-time"):
            # A format a later version may use (email, uri …): implement it from JSON Schema 2020-12.
            raise Unusable(f"format {fmt!r} is not implemented here")

    def ref(validator, ref, instance, schema):
        scope, resolved = validator.resolver.resolve(ref)
        validator.resolver.push_scope(scope)
        try:
            yield from validator.descend(instance, resolved)
        finally:
            validator.resolver.pop_scope()
        url, fragment = urldefrag(scope)
        if not fragment and url.endswith("/contribution-record.schema.json") and isinstance(instance, dict):
            yield Issue("_record", "marker")  # §6 applies here

    return validators.extend(
        Draft202012Validator,
        {"required": required, "additionalProperties": additional_properties, "properties": properties, "pattern": pattern,
         "uniqueItems": unique_items, "format": format_, "$ref": ref},
    )


# ------------------------------------------------------------------ storable text (§8a)

STORABLE_TEXT_PATTERN = "^[^\\u0000\\uD800-\\uDFFF]*$"


def unstorable(s):
    """NUL or a lone surrogate (json.loads joins a surrogate pair into one code point; a lone one stays)."""
    return any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in s)


def unstorable_strings(doc):
    """§8a, every version: each value or property name holding NUL or a lone surrogate, by pointer."""
    out, stack = [], [("", doc)]
    while stack:
        at, node = stack.pop()
        if isinstance(node, str):
            if unstorable(node):
                out.append(("unstorable-character", at, "error"))
        elif isinstance(node, list):
            stack.extend((f"{at}/{i}", v) for i, v in enumerate(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                ptr = at + "/" + k.replace("~", "~0").replace("/", "~1")
                if unstorable(k):
                    out.append(("unstorable-character", ptr, "error"))
                stack.append((ptr, v))
    return out


# ------------------------------------------------------------------ record rules (§6)


def record_rules(record, at):
    out = []
    contributions = record.get("contributions") if isinstance(record.get("contributions"), list) else []
    employers = record.get("employers") if isinstance(record.get("employers"), list) else []
    listed = {e.get("id") for e in employers if isinstance(e, dict)}
    seen, greatest, unlisted = set(), None, {}
    for i, c in enumerate(contributions):
        if not isinstance(c, dict):
            continue
        month = c.get("month")
        if isinstance(month, str) and len(month) == 7 and month[4] == "-":
            if month in seen:
                out.append(("month-duplicate", f"{at}/contributions/{i}/month"))
            elif greatest is not None and month <= greatest:
                out.append(("month-order", f"{at}/contributions/{i}/month"))
            seen.add(month)
            greatest = month if greatest is None or month > greatest else greatest
        employer = c.get("employerId")
        if isinstance(employer, str) and employer not in listed and employer not in unlisted:
            unlisted[employer] = i
    for employer, i in unlisted.items():
        out.append(("employer-unlisted", f"{at}/contributions/{i}/employerId"))
    if "account" in record and isinstance(record.get("scheme"), str) and record["scheme"] != "110":
        out.append(("account-not-pension", f"{at}/account"))
    if isinstance(record.get("account"), list):
        years, top = set(), None
        for i, y in enumerate(record["account"]):
            if not isinstance(y, dict) or isinstance(y.get("year"), bool) or not isinstance(y.get("year"), (int, float)):
                continue
            year = y["year"]
            if year in years:
                out.append(("year-duplicate", f"{at}/account/{i}/year"))
                continue
            years.add(year)
            if top is not None and year < top:
                out.append(("year-order", f"{at}/account/{i}/year"))
            else:
                top = year
    return [(code, pointer, "error") for code, pointer in out]


# ------------------------------------------------------------------ the validator


class Validator:
    def __init__(self, standard):
        self.standard = standard
        self.checker_class = make_checker_class(standard)

    def against(self, schema_id, doc, prefix=""):
        """§4-§7: every issue of `doc` against one schema, as (code, pointer, severity)."""
        resolver = RefResolver(base_uri=schema_id, referrer=self.standard.by_id[schema_id], store=self.standard.resolver_store)
        checker = self.checker_class({"$ref": schema_id}, resolver=resolver)
        raw = [(e, pointer_of(e.absolute_path)) for e in checker.iter_errors(doc)]
        issues, patterns = [], {p for e, p in raw if getattr(e, "code", None) == "pattern"}
        for e, p in raw:
            code = getattr(e, "code", None) or KEYWORD_CODES.get(e.validator, "schema-violation")
            severity = getattr(e, "severity", "error")
            if code == "_citizen-id":
                issues += self.person_agreement(doc, p, e.extra["encoded"], prefix)
            elif code == "_record":
                issues += [(c, prefix + ptr, s) for c, ptr, s in record_rules(value_at(doc, p), p)]
            elif not (getattr(e, "extra", {}).get("shape") and p in patterns):
                issues.append((code, prefix + p, severity))
        schema = self.standard.by_id[schema_id]
        if self.standard.is_envelope(schema) and isinstance(doc, dict):
            issues += self.envelope_rules(doc, self.standard.version_of(schema_id))
        if prefix == "":
            issues += unstorable_strings(doc)  # §8a: the whole document, once
        return issues

    def person_agreement(self, doc, id_pointer, encoded, prefix):
        """§5.2: the object holding a valid citizen ID agrees with it (warnings)."""
        owner = id_pointer[: id_pointer.rfind("/")]
        person = value_at(doc, owner)
        out = []
        if isinstance(person, dict):
            if person.get("gender") in ("M", "F") and person["gender"] != encoded["gender"]:
                out.append(("gender-mismatch", f"{prefix}{owner}/gender", "warning"))
            if isinstance(person.get("birthDate"), str) and person["birthDate"] != encoded["birthDate"]:
                out.append(("birth-date-mismatch", f"{prefix}{owner}/birthDate", "warning"))
        return out

    def envelope_rules(self, env, version):
        """§7"""
        out = []
        urn = "urn:jiexu:institution:"
        if isinstance(env.get("sender"), str) and isinstance(env.get("source"), str) and env["source"].startswith(urn) and env["source"] != urn + env["sender"]:
            out.append(("source-sender-mismatch", "/source", "error"))
        if isinstance(env.get("subject"), str) and isinstance(env.get("caseid"), str) and env["subject"] != env["caseid"]:
            out.append(("subject-caseid-mismatch", "/subject", "error"))
        if not isinstance(env.get("type"), str):
            return out
        bodies = [i for i in self.standard.by_id if self.standard.message_type(i) == env["type"]]
        expected = next((i for i in bodies if self.standard.version_of(i) == version), None)
        if expected is None:
            return out
        dataschema = env.get("dataschema") if isinstance(env.get("dataschema"), str) else None
        body = expected
        if dataschema is not None and dataschema != expected:
            out.append(("body-schema-mismatch", "/dataschema", "error"))
            if dataschema in bodies and self.standard.version_of(dataschema) in self.standard.supported:
                body = dataschema
        if isinstance(env.get("data"), dict):
            out += self.against(body, env["data"], "/data")
        return out

    def document(self, doc):
        """§3: recognise what the document is and which version it declares, then validate."""
        fatal = lambda code, pointer: [(code, pointer, "fatal")]  # noqa: E731
        if not isinstance(doc, dict):
            return fatal("unknown-kind", "")
        docs = self.standard.documents()
        declares = lambda s, prop: prop in s.get("required", []) and isinstance(s.get("properties", {}).get(prop, {}).get("const"), str)  # noqa: E731
        if "specversion" in doc or ("type" in doc and "data" in doc):
            candidates, prop = [i for i, s in docs if self.standard.is_envelope(s)], "standardversion"
        elif "kind" in doc:
            candidates = [i for i, s in docs if declares(s, "kind") and s["properties"]["kind"]["const"] == doc["kind"]]
            if not candidates:
                return fatal("unknown-kind", "/kind")
            prop = "version"
        else:
            candidates = [i for i, s in docs if declares(s, "name") and s["properties"]["name"]["const"] == doc.get("name")]
            if not candidates:
                return fatal("unknown-kind", "")
            prop = "version"
        by_version = {self.standard.version_of(i): i for i in candidates}
        declared = doc.get(prop)
        if not isinstance(declared, str):
            latest = max((v for v in by_version if v in self.standard.supported), key=lambda v: tuple(map(int, v.split("."))))
            return self.against(by_version[latest], doc)
        if declared not in self.standard.supported or declared not in by_version:
            return fatal("version-unsupported", "/" + prop)
        return self.against(by_version[declared], doc)


# ------------------------------------------------------------------ envelope signatures (§10)

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - depends on the machine
    Ed25519PublicKey = None

ENVELOPE_SIGNATURE_TYPE = "jiexu-envelope+jws"
DETACHED_JWS = re.compile(r"[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+", re.ASCII)


def b64url_decode(text):
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text, re.ASCII) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jcs(value):
    """RFC 8785 for JSON without fractional numbers: keys sorted by UTF-16 code units, no whitespace."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 2 ** 53:
            raise Unusable("a signature case's envelope holds a fractional number: this checker's JCS covers integers only")
        return str(int(value))
    if isinstance(value, str):
        # json.dumps escapes exactly as ECMAScript's JSON.stringify (RFC 8785 §3.2.2.2) when it may keep non-ASCII.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(value[k]) for k in keys) + "}"
    raise Unusable(f"not JSON: {value!r}")


def jwk_thumbprint(jwk):
    """RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace, base64url."""
    members = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(members.encode("utf-8")).digest())


def check_signature(envelope, jws, public_jwk):
    """The issue code of §10 for this envelope, detached JWS and sender key, or None when it verifies."""
    # 1. the form: BASE64URL(header) ".." BASE64URL(signature)
    if not isinstance(jws, str) or not DETACHED_JWS.fullmatch(jws):
        return "envelope-signature-malformed"
    header_b64, _, signature_b64 = jws.split(".")
    # 2. the protected header: a JSON object
    try:
        header = json.loads(b64url_decode(header_b64).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "envelope-signature-malformed"
    if not isinstance(header, dict):
        return "envelope-signature-malformed"
    # 3. its members
    iat = header.get("iat")
    if (
        header.get("alg") != "EdDSA"
        or header.get("typ") != ENVELOPE_SIGNATURE_TYPE
        or not isinstance(header.get("kid"), str)
        or not header["kid"]
        or not isinstance(iat, int)
        or isinstance(iat, bool)
        or iat < 0
        or "crit" in header
    ):
        return "envelope-signature-malformed"
    # 4. the key: kid is the thumbprint of one of the sender's keys (the case gives one, valid always)
    if public_jwk.get("kty") != "OKP" or public_jwk.get("crv") != "Ed25519" or header["kid"] != jwk_thumbprint(public_jwk):
        return "envelope-signature-unknown-key"
    # 5. Ed25519 over ASCII(BASE64URL(header) "." BASE64URL(JCS(envelope)))
    signing_input = (header_b64 + "." + b64url_encode(jcs(envelope).encode("utf-8"))).encode("ascii")
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(public_jwk["x"]))
        key.verify(b64url_decode(signature_b64), signing_input)
    except (InvalidSignature, ValueError):
        return "envelope-signature-invalid"
    return None


# ------------------------------------------------------------------ the suite


def run_case(validator, group, case):
    if group.get("signature") == "detached-jws":
        code = check_signature(case["envelope"], case["jws"], case["publicKey"])
        return [] if code is None else [(code, None, "error")]
    if "text" in case:
        try:
            doc = json.loads(case["text"])
        except ValueError:
            return [("json-syntax", None, "fatal")]
    else:
        doc = case["data"]
    if group["schema"] is True:
        return validator.document(doc)
    return validator.against(group["schema"]["$ref"], doc)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check_suite.py schemas/<version>/tests\n")
        return 2
    tests_dir = Path(argv[1])
    files = sorted(tests_dir.glob("*.json")) if tests_dir.is_dir() else []
    if not files:
        sys.stderr.write(f"check_suite.py: no suite files (*.json) in {tests_dir}\n")
        return 2
    try:
        return run_suite(files, Validator(Standard(tests_dir.resolve().parent)))
    except (Unusable, OSError) as e:
        sys.stderr.write(f"check_suite.py: {e}\n")
        return 2


def load_suite(f):
    """The groups of one suite file, checked for the layout of schemas/TESTS.md."""
    try:
        groups = json.loads(f.read_text("utf-8"))
    except ValueError as e:
        raise Unusable(f"{f}: not JSON ({e})")
    ok = isinstance(groups, list) and all(
        isinstance(g, dict) and g.get("signature") == "detached-jws" and isinstance(g.get("tests"), list)
        and all(isinstance(t, dict) and isinstance(t.get("valid"), bool) and isinstance(t.get("expected"), list)
                and {"envelope", "jws", "publicKey"} <= set(t) and isinstance(t["publicKey"], dict) for t in g["tests"])
        or isinstance(g, dict) and (g.get("schema") is True or isinstance(g.get("schema"), dict) and isinstance(g["schema"].get("$ref"), str))
        and isinstance(g.get("tests"), list)
        and all(isinstance(t, dict) and isinstance(t.get("valid"), bool) and isinstance(t.get("expected"), list) and ("data" in t or "text" in t) for t in g["tests"])
        for g in groups
    )
    if not ok:
        raise Unusable(f"{f}: not a suite file (an array of groups with schema and tests; see schemas/TESTS.md)")
    if Ed25519PublicKey is None and any(g.get("signature") for g in groups):
        raise Unusable(f"{f}: the signature cases need the cryptography library: apt-get install python3-cryptography (or pip install cryptography)")
    return groups


def run_suite(files, validator):
    passed = failed = 0
    for f in files:
        for group in load_suite(f):
            for case in group["tests"]:
                got = run_case(validator, group, case)
                valid = not any(sev in ("error", "fatal") for _, _, sev in got)
                got_set = {(c, p, s) for c, p, s in got}
                want_set = {(e["code"], e.get("pointer"), e["severity"]) for e in case["expected"]}
                if valid == case["valid"] and got_set == want_set:
                    passed += 1
                    continue
                failed += 1
                print(f"FAIL {f.name}: {case['description']}")
                for c, p, s in sorted(want_set - got_set, key=str):
                    print(f"  missing    {s} {c} {p}")
                for c, p, s in sorted(got_set - want_set, key=str):
                    print(f"  unexpected {s} {c} {p}")
                if valid != case["valid"]:
                    print(f"  valid: expected {case['valid']}, got {valid}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
