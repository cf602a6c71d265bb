#!/usr/bin/env bash
# The packages as a user gets them: builds the workspace, packs every package
# (pnpm -r pack: workspace:* becomes the real version), installs the tarballs
# with npm into an empty folder outside the workspace, and there runs the CLI
# (validate, convert, assess, demo), an ESM script using @jiexu/standard and
# @jiexu/adapters, and a strict nodenext tsc compile of a TypeScript consumer.
# Prints every check, the tarball sizes and the timings, and ends with
#   outside-install: N passed, M failed
# Exit 0 only when every check passed. Run by .ci/run after `pnpm test`.
#
#   scripts/outside-install.sh            (JIEXU_KEEP=1 keeps the temporary folder)
#
# Needs Node 20 and npm (registry access for the third-party dependencies,
# typescript@5.9.3 and @types/node@20.19.43).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
START=$(date +%s)

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      | /' | tail -n 40; }
die() { printf 'outside-install: %s\n' "$1" >&2; printf 'outside-install: %d passed, %d failed (stopped)\n' "$passed" "$((failed + 1))"; exit 1; }
seconds() { echo $(( $(date +%s) - $1 )); }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "node is not installed"
[ "$node_major" = "20" ] || die "needs Node 20 (the supported runtime), found $(node --version)"
command -v npm >/dev/null || die "npm is not installed"
command -v pnpm >/dev/null || die "pnpm is not installed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jiexu-outside-install-XXXXXX") || die "cannot create a temporary folder"
case "$WORK" in "$REPO"/*) die "the temporary folder $WORK is inside the workspace" ;; esac
cleanup() { if [ "${JIEXU_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
TARBALLS=$WORK/tarballs
APP=$WORK/app
mkdir -p "$TARBALLS" "$APP"
echo "outside-install: node $(node --version), npm $(npm --version), pnpm $(pnpm --version), in $WORK"

# 1. build and pack ---------------------------------------------------------
t=$(date +%s)
if out=$(pnpm run build 2>&1); then pass "pnpm run build ($(seconds "$t")s)"; else fail "pnpm run build" "$out"; die "the build failed"; fi
if out=$(pnpm -r pack --pack-destination "$TARBALLS" 2>&1); then pass "pnpm -r pack"; else fail "pnpm -r pack" "$out"; die "packing failed"; fi
expected=$(ls -d packages/*/ | wc -l)
count=$(ls "$TARBALLS"/*.tgz 2>/dev/null | wc -l)
[ "$count" -eq "$expected" ] || die "$count tarballs for $expected packages"
echo "tarballs (packed size, unpacked size, files):"
for f in "$TARBALLS"/*.tgz; do
  unpacked=$(tar -xzOf "$f" | wc -c)
  files=$(tar -tzf "$f" | wc -l)
  printf '  %-28s %7s KiB  %7s KiB  %5s files\n' "$(basename "$f")" "$(( $(stat -c %s "$f") / 1024 ))" "$((unpacked / 1024))" "$files"
done
leaks=$(for f in "$TARBALLS"/*.tgz; do tar -tzf "$f" | sed "s|^|$(basename "$f"): |"; done | grep -E '\.test\.|/src/|__fixtures__|tsconfig|workspace:' || true)
if [ -z "$leaks" ] && ! (for f in "$TARBALLS"/*.tgz; do tar -xzOf "$f" package/package.json; done | grep -q 'workspace:'); then
  pass "tarballs hold no sources, tests or workspace: ranges"
else
  fail "tarballs hold no sources, tests or workspace: ranges" "$leaks"
fi

# 2. install into an empty folder with npm -----------------------------------
cp -r "$REPO/examples/samples" "$APP/samples"
cat > "$APP/package.json" <<'EOF'
{ "name": "jiexu-outside-install", "private": true, "type": "module" }
EOF
t=$(date +%s)
if out=$(cd "$APP" && npm install --no-audit --no-fund --loglevel=error "$TARBALLS"/*.tgz typescript@5.9.3 @types/node@20.19.43 2>&1); then
  install_seconds=$(seconds "$t")
  pass "npm install of the tarballs in an empty folder (${install_seconds}s)"
else
  fail "npm install of the tarballs in an empty folder" "$out"; die "npm install failed"
fi
# every @jiexu package came from a tarball, none from the registry; no tsx at run time
if out=$(cd "$APP" && node -e '
  const lock = JSON.parse(require("fs").readFileSync("package-lock.json", "utf8"));
  const bad = Object.entries(lock.packages).filter(([p, e]) => /node_modules\/@jiexu\//.test(p) && !String(e.resolved).startsWith("file:"));
  const jiexu = Object.keys(lock.packages).filter((p) => /node_modules\/@jiexu\//.test(p));
  const tsx = Object.keys(lock.packages).filter((p) => /node_modules\/tsx$/.test(p));
  if (bad.length || jiexu.length !== Number(process.argv[1]) || tsx.length) { console.log({ bad, jiexu, tsx }); process.exit(1); }
' "$expected" 2>&1); then pass "@jiexu/* installed from the tarballs only, tsx not installed"; else fail "@jiexu/* installed from the tarballs only, tsx not installed" "$out"; fi

cd "$APP" && mkdir -p out || die "no $APP"
export LANG=C LC_ALL=C

# 3. the CLI ----------------------------------------------------------------
# run NAME EXPECTED_EXIT CHECK_JS -- COMMAND…: CHECK_JS gets the stdout as `out` (and `err`) and must not throw
run() {
  local name=$1 want=$2 check=$3; shift 4
  local stdout stderr code
  stdout=$("$@" 2>"$WORK/stderr"); code=$?
  stderr=$(cat "$WORK/stderr")
  if [ "$code" -ne "$want" ]; then fail "$name (exit $code, expected $want)" "$stdout"$'\n'"$stderr"; return; fi
  if [ -n "$check" ] && ! msg=$(OUT="$stdout" ERR="$stderr" node -e "
      const out = process.env.OUT, err = process.env.ERR;
      const assert = (c, m) => { if (!c) { console.log(m); process.exit(1); } };
      $check" 2>&1); then
    fail "$name (output)" "$msg"$'\n'"$stdout"$'\n'"$stderr"; return
  fi
  pass "$name"
}

version=$(node -p 'require("./node_modules/@jiexu/cli/package.json").version')
run "npx jiexu --version" 0 "assert(out.trim() === '$version', 'version ' + out)" -- npx --no-install jiexu --version
run "npx jiexu validate (legacy ln-jb export)" 0 \
  "const r = JSON.parse(out); assert(r.valid === true && r.files[0].documents === 52, 'report ' + out.slice(0, 300))" \
  -- npx --no-install jiexu validate samples/ln-jb-210100.txt --format ln-jb --json
run "npx jiexu convert ln-jb → canonical" 0 \
  "const lines = require('fs').readFileSync('out/ln.jsonl', 'utf8').trim().split('\n'); assert(lines.length === 52, lines.length + ' records'); JSON.parse(lines[0])" \
  -- npx --no-install jiexu convert samples/ln-jb-210100.txt --from ln-jb --to canonical -o out/ln.jsonl
run "npx jiexu validate (canonical JSON Lines)" 0 \
  "const r = JSON.parse(out); assert(r.valid === true && r.files[0].documents === 52 && r.files[0].issues.length === 0, out.slice(0, 300))" \
  -- npx --no-install jiexu validate out/ln.jsonl --json
run "npx jiexu convert canonical → zj-csv" 0 \
  "const t = require('fs').readFileSync('out/ln.csv', 'utf8'); assert(t.charCodeAt(0) === 0xfeff && t.trim().split('\n').length > 52, 'csv of ' + t.length + ' chars')" \
  -- npx --no-install jiexu convert out/ln.jsonl --from canonical --to zj-csv -o out/ln.csv
# a valid record of the shipped standard, with a wrong check character in the citizen ID
node -e '
  const fs = require("fs");
  const r = JSON.parse(fs.readFileSync("node_modules/@jiexu/standard/schemas/1.1/contribution-record/examples/valid/pension-liaoning.json", "utf8"));
  r.person.id = "11010519491231002X"; fs.writeFileSync("out/good.json", JSON.stringify(r, null, 2));
  r.person.id = "110105194912310021"; fs.writeFileSync("out/bad.json", JSON.stringify(r, null, 2));'
run "npx jiexu validate accepts a record (shipped example)" 0 "assert(JSON.parse(out).valid === true, out.slice(0, 300))" \
  -- npx --no-install jiexu validate out/good.json --json
run "npx jiexu validate refuses an invalid record (exit 1)" 1 \
  "const r = JSON.parse(out); assert(r.valid === false && r.files[0].issues.some((i) => i.code === 'citizen-id-check'), out.slice(0, 400))" \
  -- npx --no-install jiexu validate out/bad.json --json
run "npx jiexu assess (all sample exports)" 0 \
  "const r = JSON.parse(out); const a = Array.isArray(r) ? r[0] : r; assert(a.person === '230128196208035598' && a.schemes['110'].paidMonths === 168, out.slice(0, 300))" \
  -- npx --no-install jiexu assess samples/bj-xlsx-110000.xlsx samples/gd-xml-440300.xml samples/gd-xml-441900.xml samples/jx-fixed-360100.txt samples/jx-fixed-360700.txt samples/ln-jb-210100.txt samples/zj-csv-330100.csv samples/zj-csv-330200.csv --person 230128196208035598 --json
# formats declared outside the packages (the reference format folders, copied as a region would)
cp -r "$REPO/docs/adapters/ah-dbf" "$REPO/docs/adapters/sc-json" "$WORK/"
run "npx jiexu conformance --formats-dir (ah-dbf, a FoxPro table)" 0 "assert(/ah-dbf conforms/.test(out), out.slice(-300))" \
  -- npx --no-install jiexu conformance --formats-dir "$WORK/ah-dbf" --format ah-dbf "$WORK/ah-dbf/ah-dbf-340100.dbf" --runs 3
run "npx jiexu convert --formats-dir (sc-json pages → canonical)" 0 \
  "const lines = require('fs').readFileSync('out/sc.jsonl', 'utf8').trim().split('\\n'); assert(lines.length > 0, 'no records'); JSON.parse(lines[0])" \
  -- npx --no-install jiexu convert "$WORK/sc-json/sc-json-510100" --formats-dir "$WORK/sc-json" --from sc-json --to canonical -o out/sc.jsonl
t=$(date +%s)
run "npx jiexu demo (the main job, samples shipped in the CLI)" 0 \
  "const m = /(\d+)\/(\d+)/.exec(out.split('\n').filter(Boolean).slice(-4).join(' ')); assert(m && m[1] === m[2], 'no N/N checks line'); assert(require('fs').readdirSync('out/demo').some((f) => f.endsWith('.xlsx')), 'no workbook written')" \
  -- npx --no-install jiexu demo --out out/demo
echo "      demo: $(seconds "$t")s"

# the installed `jiexu serve` serves the console's bundle (validator, console) under /console/
cat > serve-check.mjs <<'EOF'
import { spawn } from 'node:child_process';
const child = spawn('node_modules/.bin/jiexu', ['serve', '--port', '0', '--data-dir', 'out/serve-data', '--reminder-interval', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
let err = '';
const fail = (m) => { console.log(m, err); child.kill('SIGTERM'); process.exit(1); };
const timer = setTimeout(() => fail('no URL printed in 120 s'), 120_000);
const url = await new Promise((resolve) => child.stderr.on('data', (c) => { err += c; const m = /listening on (http:\/\/\S+) .*\n/.exec(err); if (m) resolve(m[1]); }));
clearTimeout(timer);
const page = await fetch(`${url}/console/`);
const html = await page.text();
if (page.status !== 200 || !html.includes('<div id="app">')) fail(`GET /console/: ${page.status}`);
for (const asset of html.match(/\/console\/assets\/[^"]+\.js/g) ?? []) {
  const r = await fetch(url + asset);
  if (r.status !== 200) fail(`GET ${asset}: ${r.status}`);
}
if ((await fetch(`${url}/v1/cases`)).status !== 401) fail('the API is not signed any more');
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
console.log(`console served at ${url}/console/`);
EOF
run "npx jiexu serve serves the console under /console/ (unsigned; the API still signed)" 0 "assert(/console served at/.test(out), out)" -- node serve-check.mjs

# 4. the libraries from plain ESM --------------------------------------------
cat > consumer.mjs <<'EOF'
import { readFileSync } from 'node:fs';
import { schemasDir, validateDocument, supportedVersions } from '@jiexu/standard';
import { formats, readRecords, writeRecords } from '@jiexu/adapters';

const fail = (m) => { console.error(m); process.exit(1); };
if (!schemasDir().includes('/node_modules/@jiexu/standard/')) fail(`schemasDir() is ${schemasDir()}`);
if (supportedVersions().join() !== '1.0,1.1') fail(`versions ${supportedVersions()}`);
const names = formats.map((f) => f.name).sort().join();
if (names !== 'bj-xlsx,gd-xml,jx-fixed,ln-jb,zj-csv') fail(`formats ${names}`);
const { records, report } = await readRecords('samples/jx-fixed-360100.txt', { strict: false });
if (!report.valid || records.length === 0) fail(`jx-fixed read: ${JSON.stringify(report).slice(0, 300)}`);
for (const r of records) {
  const v = validateDocument(r);
  if (!v.valid) fail(`record invalid: ${JSON.stringify(v.issues[0])}`);
}
const { report: written } = await writeRecords(records, 'zj-csv', 'out/esm.csv', { region: '360100' });
if (!written.valid || readFileSync('out/esm.csv', 'utf8').length === 0) fail('zj-csv not written');
const bad = validateDocument(JSON.parse(readFileSync('out/bad.json', 'utf8')));
if (bad.valid || !bad.issues.some((i) => i.code === 'citizen-id-check')) fail('an invalid record was accepted');
console.log(`${records.length} records read, validated and written as zj-csv`);
EOF
run "ESM script: @jiexu/standard validates, @jiexu/adapters reads and writes" 0 "assert(/records read/.test(out), out)" -- node consumer.mjs

# 5. the types, compiled by a strict nodenext consumer -----------------------
cat > consumer.ts <<'EOF'
import { validateDocument, formatIssue, schemasDir, type ContributionRecord, type Report } from '@jiexu/standard';
import { readRecords, type FormatInfo } from '@jiexu/adapters';
import { roundTripFile } from '@jiexu/adapters/conformance';
import { assessPerson } from '@jiexu/rules';
import { startPlatform } from '@jiexu/platform';
import { createClient } from '@jiexu/client';
import { diffVersions } from '@jiexu/versioning';

const dir: string = schemasDir();
const { records } = await readRecords('samples/jx-fixed-360100.txt', { strict: false });
const first: ContributionRecord | undefined = records[0];
const report: Report = validateDocument(first);
for (const issue of report.issues) console.log(formatIssue(issue, 'en'));
// @ts-expect-error the types are checked: a report is not a string
const wrong: string = report;
const used: unknown[] = [dir, wrong, roundTripFile, assessPerson, startPlatform, createClient, diffVersions, {} as FormatInfo];
console.log(`types ok: ${report.valid} ${used.length}`);
EOF
run "tsc --module nodenext --moduleResolution nodenext --strict (consumer.ts)" 0 "" -- \
  npx --no-install tsc --module nodenext --moduleResolution nodenext --target es2022 --strict --types node --outDir out/ts consumer.ts
run "the compiled consumer runs" 0 "assert(/types ok: true/.test(out), out)" -- node out/ts/consumer.js

echo "outside-install: npm install ${install_seconds:-?}s, total $(seconds "$START")s"
echo "outside-install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
