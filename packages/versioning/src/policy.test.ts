/**
 * The versioning policy, enforced by the test command: versions side by side,
 * listed in schemas/versions.json, and within a major every version backward
 * compatible with every earlier one. The second half proves the check bites,
 * on a copy of the real schemas in a temp folder.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cutVersion, releaseVersion } from './cut.ts';
import { checkPolicy } from './policy.ts';
import { readVersions, SCHEMAS_DIR, supportedVersions } from './versions.ts';

describe('the repository follows the versioning policy', () => {
  it('lists released versions and keeps each in its folder', () => {
    expect(supportedVersions()).toContain('1.0');
  });

  it('keeps every version backward compatible with every earlier version of its major', () => {
    const failures = checkPolicy();
    expect(failures.map((f) => f.message).join('\n')).toBe('');
  });
});

describe('the policy check fails when it should', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of schemas/ with a fresh minor cut from the latest version. */
  function copyWithNewMinor(): { schemas: string; from: string; to: string } {
    dir = mkdtempSync(join(tmpdir(), 'jiexu-policy-'));
    const schemas = join(dir, 'schemas');
    cpSync(SCHEMAS_DIR, schemas, { recursive: true });
    // a draft in the repository (being worked on) is released in the copy, so the next minor can be cut
    const latest = readVersions(schemas).versions.at(-1)!.version;
    if (!supportedVersions(schemas).includes(latest)) releaseVersion(latest, { schemasDir: schemas });
    const from = supportedVersions(schemas).at(-1) as string;
    const [major, minor] = from.split('.').map(Number) as [number, number];
    const to = `${major}.${minor + 1}`;
    cutVersion(to, { schemasDir: schemas });
    return { schemas, from, to };
  }

  it('passes on a plain cut (a copy with new $ids is backward compatible)', () => {
    const { schemas } = copyWithNewMinor();
    expect(checkPolicy(schemas).map((f) => f.message)).toEqual([]);
  });

  it('names the schema, the pointer and the change when a minor adds a required property', () => {
    const { schemas, from, to } = copyWithNewMinor();
    const file = join(schemas, to, 'contribution-record', 'contribution-record.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.properties.x = { type: 'string' };
    schema.required.push('x');
    writeFileSync(file, JSON.stringify(schema, null, 2));

    const failures = checkPolicy(schemas);
    // one failure against each earlier version of the major
    const earlier = supportedVersions(schemas).filter((v) => v.split('.')[0] === to.split('.')[0] && v !== to);
    expect(failures.map((f) => f.from).sort()).toEqual(earlier.sort());
    const m = failures.find((f) => f.from === from)?.message as string;
    expect(m).toContain(`schemas/${to}/contribution-record/contribution-record.schema.json: /required: property 'x' added to required — breaking: data valid under ${from} lacks it`);
    expect(m).toContain(`${from} → ${to}`);
  });

  it('checks every earlier minor, not only the previous one', () => {
    const { schemas, to } = copyWithNewMinor();
    // a second minor that removes a code the first one still had: fails against both earlier versions
    const [major, minor] = to.split('.').map(Number) as [number, number];
    const versions = JSON.parse(readFileSync(join(schemas, 'versions.json'), 'utf8'));
    versions.versions.at(-1).status = 'released';
    writeFileSync(join(schemas, 'versions.json'), JSON.stringify(versions));
    const third = `${major}.${minor + 1}`;
    cutVersion(third, { schemasDir: schemas });
    const common = join(schemas, third, 'common', 'common.schema.json');
    const schema = JSON.parse(readFileSync(common, 'utf8'));
    schema.$defs.gender.enum = ['M'];
    writeFileSync(common, JSON.stringify(schema, null, 2));
    const failures = checkPolicy(schemas).filter((f) => f.change?.pointer === '/$defs/gender/enum');
    expect(failures.map((f) => `${f.from} → ${f.to}`).sort()).toEqual(
      versions.versions.map((v: { version: string }) => `${v.version} → ${third}`).sort(),
    );
    expect(failures[0]?.message).toContain(`schemas/${third}/common/common.schema.json: /$defs/gender/enum: enum: "F" removed`);
  });

  it('reports a version folder missing from versions.json and an $id naming the wrong version', () => {
    const { schemas, to } = copyWithNewMinor();
    const versions = JSON.parse(readFileSync(join(schemas, 'versions.json'), 'utf8'));
    versions.versions.pop();
    writeFileSync(join(schemas, 'versions.json'), JSON.stringify(versions));
    expect(checkPolicy(schemas).map((f) => f.message)).toContain(`schemas/${to}/ is not listed in schemas/versions.json`);
  });
});
