/**
 * fast-check arbitraries of canonical records a format can hold: its schemes,
 * its region, names its encoding and widths allow, the person attributes it
 * carries, employer names only where it writes them, accounts only where it
 * exports them, amounts within its field widths. Identifiers carry valid check characters.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '@jiexu/standard';
import { allFields, type Mapping } from '../mapping.ts';
import { representable } from '../encoding.ts';
import type { AccountYear, Contribution, ContributionRecord, Employer, Person, Scheme } from '../record.ts';

const NAME_CHARS = [...'䶮王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤昇喆𠮷·'];
const EMPLOYER_NAMES = ['华美服装厂', '顺丰达物流（东莞）有限公司', '安居物业服务有限公司,南昌分部', '宏远(集团)建筑有限公司', '"新世纪"餐饮', '鑫达电子有限公司'];
const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A citizen ID with a valid check character; odd sequence for men. */
function citizenId(address: string, birth: string, seq: number, gender: 'M' | 'F'): string {
  const s = String(seq * 2 + (gender === 'M' ? 1 : 0)).padStart(3, '0').slice(-3);
  const first17 = `${address}${birth.replaceAll('-', '')}${s}`;
  return first17 + citizenIdCheckChar(first17);
}

function uscc(region: string, body: string): string {
  const org8 = body.slice(0, 8);
  const org = org8 + organizationCodeCheckChar(org8);
  const first17 = `91${region}${org}`;
  return first17 + usccCheckChar(first17);
}

const fenMax = (m: Mapping, target: string): number => {
  const f = allFields(m).find((x) => x.as === target);
  const cap = f?.width ? 10 ** f.width - 1 : 99_999_999_999;
  return Math.min(cap, 99_999_999);
};

function monthAt(offset: number): string {
  const y = 1995 + Math.floor(offset / 12);
  return `${y}-${String((offset % 12) + 1).padStart(2, '0')}`;
}

/** Records of one file of `mapping`: several people, each with one record per scheme. */
export function recordsArbitrary(m: Mapping): fc.Arbitrary<ContributionRecord[]> {
  const fields = new Set(allFields(m).map((f) => f.as));
  const schemes = [...new Set(Object.values(m.codes[allFields(m).find((f) => f.as === 'scheme')!.codes!]))] as Scheme[];
  const nameWidth = allFields(m).find((f) => f.as === 'person.name')?.width;
  // names may hold characters outside the encoding (𠮷, 䶮, 喆 in code page 936): a writer must then report a damaged name, never drop it silently
  const name = fc
    .array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 6 })
    .map((cs) => cs.join(''))
    .filter((s) => !s.startsWith('·') && (nameWidth === undefined || iconv.encode(representable(s, m), m.encoding === 'utf-8' ? 'utf8' : m.encoding).length <= nameWidth));
  const base = fc.constantFrom(300000, 612345, 1000000, 428010);
  const amount = (target: string) => fc.oneof(fc.constantFrom(0, 12345, 97975, 48988), fc.integer({ min: 0, max: fenMax(m, target) }));
  const region = fc.constantFrom(...m.regions);
  const employerNames = fields.has('employer') || fields.has('employerName');

  const person = fc.record({
    seq: fc.integer({ min: 0, max: 499 }),
    birthDays: fc.integer({ min: 0, max: 365 * 40 }),
    gender: fc.constantFrom('M' as const, 'F' as const),
    name,
    hukou: fc.option(fc.constantFrom('360124', '411525', '230128'), { nil: undefined }),
  });
  const record = fc.record({
    scheme: fc.constantFrom(...schemes),
    start: fc.integer({ min: 0, max: 12 * 29 }),
    steps: fc.array(fc.record({ gap: fc.constantFrom(1, 1, 1, 1, 2, 5), status: fc.constantFrom('paid', 'paid', 'backpaid', 'arrears') as fc.Arbitrary<Contribution['status']>, change: fc.boolean() }), { minLength: 1, maxLength: 30 }),
    base,
    employerFen: amount('employerFen'),
    individualFen: amount('individualFen'),
    employer: fc.integer({ min: 0, max: 3 }),
    accountYears: fc.array(fc.record({ creditedFen: amount('account.creditedFen'), interestFen: amount('account.interestFen'), balanceFen: amount('account.balanceFen') }), { maxLength: 3 }),
  });
  return fc
    .tuple(region, fc.array(fc.tuple(person, fc.array(record, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 }))
    .map(([reg, people]) => {
      const out: ContributionRecord[] = [];
      const seen = new Set<string>();
      people.forEach(([p, recs], k) => {
        const birth = new Date(Date.UTC(1960, 0, 1) + p.birthDays * 86_400_000).toISOString().slice(0, 10);
        const id = citizenId('360124', birth, p.seq * 8 + k, p.gender);
        if (seen.has(id)) return;
        seen.add(id);
        const person = { id, name: p.name, gender: p.gender } as Person;
        if (fields.has('person.birthDate')) person.birthDate = birth;
        if (fields.has('person.hukouRegion') && p.hukou) person.hukouRegion = p.hukou;
        const schemesSeen = new Set<string>();
        for (const r of recs) {
          if (schemesSeen.has(r.scheme)) continue;
          schemesSeen.add(r.scheme);
          const employers = [0, 1, 2, 3].map((e) => uscc(reg, `${ORG_CHARS[(k * 7 + e * 3) % 31]}${String(k * 1000 + e).padStart(7, '0')}`));
          const contributions: Contribution[] = [];
          let offset = r.start;
          let employer = r.employer;
          let baseFen = r.base;
          for (const s of r.steps) {
            if (s.change) {
              employer = (employer + 1) % employers.length;
              baseFen += 100;
            }
            if (offset >= 12 * 31) break;
            contributions.push({ month: monthAt(offset), baseFen, employerFen: r.employerFen, individualFen: r.individualFen, status: s.status, employerId: employers[employer] });
            offset += s.gap;
          }
          const used: Employer[] = [];
          for (const c of contributions) {
            if (used.some((e) => e.id === c.employerId)) continue;
            const e: Employer = { id: c.employerId! };
            const hash = [...c.employerId!].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 10007, 0);
            if (employerNames && hash % 4 !== 0) e.name = EMPLOYER_NAMES[hash % EMPLOYER_NAMES.length];
            used.push(e);
          }
          const rec: ContributionRecord = {
            kind: 'contribution-record',
            version: '1.0',
            person,
            region: reg,
            scheme: r.scheme,
            employers: used,
            contributions,
            provenance: { region: reg, format: 'canonical' },
          };
          if (m.accounts && r.scheme === '110' && r.accountYears.length) {
            const first = Number(contributions[0].month.slice(0, 4));
            rec.account = r.accountYears.map((a, i): AccountYear => ({ year: first + i, ...a }));
          }
          out.push(rec);
        }
      });
      return out;
    })
    .filter((rs) => rs.length > 0);
}

