/**
 * Rows → canonical records, streaming. The rows come grouped by person (see
 * group.ts: any order in the file is fine); months are expanded from runs,
 * duplicates and region mismatches are reported, identifiers checked. Memory
 * holds one person's rows at a time, plus account years not yet matched to a
 * person.
 */
import { checkCitizenId, checkUscc, isPoolingRegionInForce } from '@jiexu/standard';
import { allFields as fieldsOf, type Mapping } from './mapping.ts';
import type { Issues } from './issues.ts';
import type { AccountYear, Contribution, ContributionRecord, ContributionStatus, Employer, Person, Position, Scheme } from './record.ts';
import type { FileHeader, LegacyRow, RowValues } from './rows.ts';
import { ownCopy } from './own-copy.ts';

export interface AssembleContext {
  mapping: Mapping;
  issues: Issues;
  /** The file's name for provenance. */
  file?: string;
  /** Filled by the framing when it reads the header. */
  header: FileHeader;
}

interface Group {
  person: Person;
  region: string;
  scheme: Scheme;
  /** The contributions as added; `months` by month, made when a month comes that is not after the last one (until then each came after the one before: none twice, in order already). */
  contributions: Contribution[];
  months: Map<string, Contribution> | undefined;
  lastMonth: string;
  employers: Map<string, Employer>;
  at: Position;
}

interface PendingAccount extends AccountYear {
  at: Position;
}

const MAX_RUN = 1200;
const PERSON_TARGETS = ['person.name', 'person.gender', 'person.birthDate', 'person.hukouRegion'];

function nextMonth(m: string): string {
  let y = Number(m.slice(0, 4));
  let mo = Number(m.slice(5, 7)) + 1;
  if (mo === 13) {
    mo = 1;
    y++;
  }
  return `${y}-${String(mo).padStart(2, '0')}`;
}

export async function* assemble(rows: AsyncIterable<LegacyRow[]>, ctx: AssembleContext): AsyncGenerator<ContributionRecord[]> {
  const { mapping, issues } = ctx;
  let currentId: string | undefined;
  let groups = new Map<string, Group>();
  /** The group of the last row (a person's rows mostly run scheme by scheme); reset with `groups`. */
  let lastGroup: Group | undefined;
  const closed = new Set<string>();
  const pendingAccounts = new Map<string, PendingAccount[]>();
  let fileRegion: string | undefined;
  let regionChecked = false;
  /** The current person's first row, against which the person's other rows are compared. */
  let firstRow: RowValues | undefined;
  const inconsistent = new Set<string>();
  const usccSeen = new Map<string, boolean>();
  /** The last row's employer and group: the same again needs neither the group's employer list nor the check memo. */
  let lastEmployer: string | undefined;
  let lastEmployerGroup: Group | undefined;
  const regionPattern = mapping.regionPattern ? new RegExp(mapping.regionPattern) : undefined;

  const checkRegion = (region: string, at: Position): void => {
    regionChecked = true;
    if (!isPoolingRegionInForce(region)) {
      issues.error('region-unknown', `pooling region ${region} is not a GB/T 2260 code in force`, `统筹地区 ${region} 不是现行 GB/T 2260 代码`, at, { pointer: '/region', value: region });
    } else if (!mapping.regions.includes(region) && !(regionPattern && regionPattern.test(region))) {
      issues.warning('legacy-region-unexpected', `${mapping.name} is not known to be used by region ${region}`, `${mapping.name} 格式未知用于统筹地区 ${region}`, at, { value: region });
    }
  };

  const personOf = (v: RowValues, at: Position): Person => {
    const id = String(v['person.id']);
    const person = { id } as Person;
    const check = checkCitizenId(id);
    for (const p of check.problems) {
      const code = p.code === 'format' ? 'citizen-id-check' : p.code;
      issues.add(p.severity, code, `公民身份号码 ${id}: ${p.message.en}`, `公民身份号码 ${id}：${p.message.zh}`, { ...at, field: fieldName('person.id') }, { pointer: '/person/id', value: id });
    }
    const name = v['person.name'] as string | undefined;
    if (name !== undefined) {
      const damaged = (mapping.unencodable !== undefined && name.includes(mapping.unencodable)) || name.includes('\uFFFD');
      if (damaged) {
        person.damagedName = name;
        issues.warning(
          'legacy-name-damaged',
          `the name "${name}" of ${id} was damaged by the source system (characters it could not encode replaced by "${mapping.unencodable ?? '\uFFFD'}"); kept as damagedName, not as the name`,
          `${id} 的姓名“${name}”已被源系统损坏（无法编码的字被替换为“${mapping.unencodable ?? '\uFFFD'}”），记为 damagedName，不作姓名`,
          { ...at, field: fieldName('person.name') },
          { pointer: '/person/damagedName', value: name },
        );
      } else person.name = name;
    }
    if (v['person.gender'] !== undefined) person.gender = v['person.gender'] as Person['gender'];
    if (v['person.birthDate'] !== undefined) person.birthDate = v['person.birthDate'] as string;
    if (v['person.hukouRegion'] !== undefined) person.hukouRegion = v['person.hukouRegion'] as string;
    return person;
  };

  const fieldName = (target: string): string | undefined => fieldNames.get(target);
  const fieldNames = new Map<string, string>();
  for (const f of fieldsOf(mapping)) if (f.as && !fieldNames.has(f.as)) fieldNames.set(f.as, f.name);

  function* flush(): Generator<ContributionRecord> {
    if (currentId === undefined) return;
    const accounts = pendingAccounts.get(currentId);
    let accountsUsed = false;
    for (const g of groups.values()) {
      // months added in order (the usual export) are in order already: the sort would give the same array
      const contributions = g.months === undefined ? g.contributions : g.contributions.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
      const record: ContributionRecord = {
        kind: 'contribution-record',
        version: '1.0',
        person: g.person,
        region: g.region,
        scheme: g.scheme,
        ...(g.employers.size ? { employers: [...g.employers.values()] } : {}),
        contributions,
        provenance: {
          region: fileRegion ?? g.region,
          ...(mapping.system ? { system: mapping.system } : {}),
          format: mapping.name,
          ...(ctx.file ? { file: ctx.file } : {}),
          ...(ctx.header.exportedAt ? { exportedAt: ctx.header.exportedAt } : {}),
          at: g.at,
        },
      };
      if (g.scheme === '110' && accounts && !accountsUsed) {
        accountsUsed = true;
        record.account = accountYears(accounts, currentId);
        // keep the key order of the schema: account before provenance
        const { provenance } = record;
        delete (record as Partial<ContributionRecord>).provenance;
        record.provenance = provenance;
      }
      yield record;
    }
    if (accountsUsed) pendingAccounts.delete(currentId);
    closed.add(ownCopy(currentId));
    groups = new Map();
    lastGroup = undefined;
    currentId = undefined;
  }

  const accountYears = (accounts: PendingAccount[], id: string): AccountYear[] => {
    const byYear = new Map<number, AccountYear>();
    for (const a of accounts) {
      if (byYear.has(a.year)) {
        issues.error('account-year-duplicate', `account year ${a.year} of ${id} appears twice`, `${id} 的个人账户年度 ${a.year} 重复出现`, a.at, { value: a.year });
        continue;
      }
      byYear.set(a.year, a);
    }
    return [...byYear.values()].sort((a, b) => a.year - b.year);
  };

  for await (const batch of rows) {
    const out: ContributionRecord[] = [];
    if (fileRegion === undefined && ctx.header.region !== undefined) {
      fileRegion = ctx.header.region;
    }
    for (const row of batch) {
      const v = row.values;
      const id = v['person.id'] as string | undefined;
      if (id === undefined) continue; // the framing already reported the missing identifier
      if (row.role === 'account') {
        const a: PendingAccount = {
          year: v['account.year'] as number,
          creditedFen: v['account.creditedFen'] as number,
          interestFen: v['account.interestFen'] as number,
          balanceFen: v['account.balanceFen'] as number,
          at: row.at,
        };
        if (v.scheme !== undefined && v.scheme !== '110') {
          issues.error('legacy-account-scheme', `individual account data under scheme ${String(v.scheme)}; only 110 has an account`, `个人账户数据出现在险种 ${String(v.scheme)} 下，只有 110 有个人账户`, row.at);
          continue;
        }
        const list = pendingAccounts.get(id);
        if (list) list.push(a);
        else pendingAccounts.set(id, [a]);
        continue;
      }
      if (id !== currentId) {
        for (const r of flush()) out.push(r);
        // rows come grouped (group.ts, or a file the contiguity scan found person-ordered): never split a person silently
        if (closed.has(id)) throw new Error(`internal: rows of ${id} arrive after the person's record was closed`);
        currentId = id;
        firstRow = undefined;
        inconsistent.clear();
      }
      const region = (v.region as string | undefined) ?? fileRegion;
      if (region === undefined) continue;
      if (fileRegion === undefined) fileRegion = region;
      if (!regionChecked) checkRegion(fileRegion, row.at);
      if (region !== fileRegion) {
        issues.error(
          'legacy-region-mismatch',
          `row's pooling region ${region} differs from the file's ${fileRegion}; a file holds one region's records`,
          `该行统筹地区 ${region} 与文件的 ${fileRegion} 不一致；一个文件只含一个统筹地区的记录`,
          { ...row.at, field: fieldName('region') },
          { pointer: '/region', value: region },
        );
      }
      const scheme = v.scheme as Scheme | undefined;
      if (scheme === undefined) continue;
      // the row's group: most often the previous row's (no key string built for it)
      let g = lastGroup !== undefined && lastGroup.scheme === scheme && lastGroup.region === region ? lastGroup : groups.get(`${scheme}|${region}`);
      if (!g) {
        const person = [...groups.values()][0]?.person ?? personOf(v, row.at);
        g = { person, region, scheme, contributions: [], months: undefined, lastMonth: '', employers: new Map(), at: row.at };
        groups.set(`${scheme}|${region}`, g);
      }
      lastGroup = g;
      firstRow ??= v;
      const first = firstRow;
      const samePerson = v['person.name'] === first['person.name'] && v['person.gender'] === first['person.gender'] && v['person.birthDate'] === first['person.birthDate'] && v['person.hukouRegion'] === first['person.hukouRegion'];
      // PERSON_TARGETS one by one only when one differs (the usual row agrees with the first)
      if (!samePerson) for (const target of PERSON_TARGETS) {
        if (v[target] !== first[target] && !inconsistent.has(target)) {
          inconsistent.add(target);
          issues.warning(
            'legacy-person-inconsistent',
            `${fieldName(target) ?? target} of ${id} is "${String(v[target] ?? '')}" here but "${String(first[target] ?? '')}" in the person's first row; the first is used`,
            `${id} 的${fieldName(target) ?? target}此处为“${String(v[target] ?? '')}”，与其第一行的“${String(first[target] ?? '')}”不同；采用第一行`,
            { ...row.at, field: fieldName(target) },
            { value: v[target] },
          );
        }
      }
      const employerId = v.employerId as string | undefined;
      if (employerId !== undefined && !(employerId === lastEmployer && g === lastEmployerGroup)) {
        lastEmployer = employerId;
        lastEmployerGroup = g;
        if (!g.employers.has(employerId)) {
          const e: Employer = { id: employerId };
          if (v.employerName !== undefined) e.name = v.employerName as string;
          g.employers.set(employerId, e);
        }
        let ok = usccSeen.get(employerId);
        if (ok === undefined) {
          const check = checkUscc(employerId);
          ok = check.valid;
          if (usccSeen.size > 10_000) usccSeen.clear();
          usccSeen.set(ownCopy(employerId), ok); // kept across people: not a slice pinning its chunk
          for (const p of check.problems) {
            issues.add(p.severity, 'uscc-check', `统一社会信用代码 ${employerId}: ${p.message.en}`, `统一社会信用代码 ${employerId}：${p.message.zh}`, { ...row.at, field: fieldName('employerId') ?? fieldName('employer') }, { value: employerId });
          }
        }
      }
      const baseFen = v.baseFen as number;
      const employerFen = v.employerFen as number;
      const individualFen = v.individualFen as number;
      const status = v.status as ContributionStatus;
      let month = (v.month ?? v.monthFrom) as string | undefined;
      const last = (v.monthTo ?? month) as string | undefined;
      if (month === undefined || last === undefined) continue;
      if (last < month) {
        issues.error('legacy-run-invalid', `run ends (${last}) before it starts (${month})`, `区间截止年月 ${last} 早于起始年月 ${month}`, row.at);
        continue;
      }
      for (let n = 0; ; n++) {
        if (n >= MAX_RUN) {
          issues.error('legacy-run-invalid', `run ${String(v.monthFrom)}..${last} is longer than ${MAX_RUN} months`, `区间 ${String(v.monthFrom)}..${last} 超过 ${MAX_RUN} 个月`, row.at);
          break;
        }
        if (g.months === undefined && !(month > g.lastMonth)) g.months = new Map(g.contributions.map((c) => [c.month, c]));
        if (g.months?.has(month)) {
          issues.error(
            'month-duplicate',
            `${month} appears more than once for ${id}, scheme ${scheme}, region ${region}; the later one is not used`,
            `${id} 险种 ${scheme} 统筹地区 ${region} 的 ${month} 重复出现；后出现的未采用`,
            row.at,
            { value: month },
          );
        } else {
          const c: Contribution = employerId !== undefined
            ? { month, baseFen, employerFen, individualFen, status, employerId, at: row.at }
            : { month, baseFen, employerFen, individualFen, status, at: row.at };
          g.contributions.push(c);
          g.months?.set(month, c);
          g.lastMonth = month;
        }
        if (month === last) break;
        month = nextMonth(month);
      }
    }
    if (out.length) yield out;
  }
  const tail = [...flush()];
  if (tail.length) yield tail;
  for (const [id, list] of pendingAccounts) {
    for (const a of list) {
      issues.error(
        'legacy-account-orphan',
        `account year ${a.year} of ${id} has no pension (110) contributions in this file to attach to`,
        `${id} 的个人账户年度 ${a.year} 在本文件中没有养老保险（110）缴费记录可归属`,
        a.at,
        { value: id },
      );
    }
  }
}
