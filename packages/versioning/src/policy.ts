/**
 * The versioning policy, as a check:
 * 1. every version listed in schemas/versions.json has its folder, and every
 *    version folder is listed (versions live side by side, none replaced);
 * 2. every $id in schemas/<v>/ names version <v>;
 * 3. within a major version, each version is backward compatible with every
 *    earlier one (each pair, not only neighbours); unclassified changes fail
 *    too — a person must rewrite them into classifiable steps or bump the major.
 * Across majors anything goes: that is what a new major is for.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allowedIn, CLASS_ZH, type Change } from './compat.ts';
import { diffVersions } from './diff.ts';
import { loadVersion, versionOf, type LoadedVersion } from './load.ts';
import { majorOf, readVersions, SCHEMAS_DIR } from './versions.ts';

export interface PolicyFailure {
  /** e.g. "schemas/1.1/contribution-record/contribution-record.schema.json: /required: property 'x' added to required — breaking: …" */
  message: string;
  /** The same message in Chinese. */
  messageZh: string;
  from?: string;
  to?: string;
  change?: Change;
}

/** Checks the policy over a schemas/ folder; returns every failure (empty when the policy holds). */
export function checkPolicy(schemasDir: string = SCHEMAS_DIR, label = 'schemas'): PolicyFailure[] {
  const failures: PolicyFailure[] = [];
  const listed = readVersions(schemasDir).versions.map((v) => v.version);
  const folders = readdirSync(schemasDir).filter((d) => /^\d+\.\d+$/.test(d) && statSync(join(schemasDir, d)).isDirectory());
  for (const v of listed) if (!existsSync(join(schemasDir, v))) failures.push({ message: `${label}/versions.json lists ${v} but ${label}/${v}/ does not exist`, messageZh: `${label}/versions.json 列出了 ${v}，但 ${label}/${v}/ 不存在` });
  for (const d of folders) if (!listed.includes(d)) failures.push({ message: `${label}/${d}/ is not listed in ${label}/versions.json`, messageZh: `${label}/${d}/ 未在 ${label}/versions.json 中列出` });

  const loaded = new Map<string, LoadedVersion>();
  for (const v of listed) {
    if (!existsSync(join(schemasDir, v))) continue;
    const lv = loadVersion(join(schemasDir, v));
    loaded.set(v, lv);
    for (const f of lv.files) {
      if (f.kind !== 'schema') continue;
      const idVersion = versionOf(f.id);
      if (idVersion !== v) failures.push({ message: `${label}/${v}/${f.path}: /$id: ${f.id} does not name version ${v}`, messageZh: `${label}/${v}/${f.path}：/$id：${f.id} 没有写明版本 ${v}` });
    }
  }

  for (let j = 0; j < listed.length; j++) {
    for (let i = 0; i < j; i++) {
      const from = listed[i] as string;
      const to = listed[j] as string;
      if (majorOf(from) !== majorOf(to)) continue;
      const a = loaded.get(from);
      const b = loaded.get(to);
      if (!a || !b) continue;
      for (const change of diffVersions(a, b).changes) {
        if (allowedIn(change.class, 'backward')) continue;
        const file = `${label}/${to}/${change.schema}`;
        failures.push({ message: formatPolicyFailure(file, change, from, to), messageZh: formatPolicyFailureZh(file, change, from, to), from, to, change });
      }
    }
  }
  return failures;
}

function formatPolicyFailure(file: string, c: Change, from: string, to: string): string {
  const verdict = c.class === 'breaking' ? 'breaking' : c.class === 'unclassified' ? 'unclassified (needs a person)' : `${c.class} only, not backward compatible`;
  return `${file}: ${c.pointer || '/'}: ${c.change} — ${verdict}: ${c.reason} [${from} → ${to}: within major ${majorOf(to)} every change must be backward compatible; a breaking change needs a new major]`;
}

function formatPolicyFailureZh(file: string, c: Change, from: string, to: string): string {
  const verdict = c.class === 'breaking' ? `破坏性变更 [${c.class}]` : c.class === 'unclassified' ? `无法分类，须人工处理 [${c.class}]` : `仅${CLASS_ZH[c.class]} [${c.class}]，不是向后兼容`;
  return `${file}：${c.pointer || '/'}：${c.zh?.change ?? c.change} — ${verdict}：${c.zh?.reason ?? c.reason} [${from} → ${to}：按版本策略，主版本 ${majorOf(to)} 之内的每处变更都必须向后兼容；破坏性变更须发布新的主版本]`;
}
