// Writes sc-json-510100/page-0001.json …, the test export of README.md, from
// the spec (not through jiexu): 40 payments per page, a person whose payments
// do not fit continued on the next page (repeated), amounts as decimal
// strings. Run: node docs/adapters/sc-json/make-sample.mjs. The committed
// pages are what the tests read.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const id = (s) => s + '10X98765432'[[...s].reduce((a, c, i) => a + Number(c) * ID_W[i], 0) % 11];
const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];
const org = (s) => { const c = 11 - ([...s].reduce((a, ch, i) => a + parseInt(ch, 36) * ORG_W[i], 0) % 11); return c === 10 ? 'X' : c === 11 ? '0' : String(c); };
const uscc = (region, b) => { const f = `91${region}${b}${org(b)}`; return f + CH[(31 - ([...f].reduce((a, ch, i) => a + CH.indexOf(ch) * USCC_W[i], 0) % 31)) % 31]; };

const e1 = uscc('510100', 'MA6C3Q2D');
const e2 = uscc('510100', 'MA61K8W5');
const NAMES = { [e1]: '成都天府软件园服务有限公司', [e2]: '四川锦江餐饮管理有限公司' };
const people = [
  { idNumber: id('51010719800214302'), name: '李雪', sex: 'F', birthday: '1980-02-14', runs: [['110', 2016, 1, 30, 500000, e1], ['310', 2016, 1, 30, 500000, e1]] },
  { idNumber: id('51011619720930411'), name: '王建川', sex: 'M', birthday: '1972-09-30', runs: [['110', 2014, 6, 20, 420000, e2]] },
  { idNumber: id('51010419910101551'), name: '张𠮷', sex: 'M', birthday: '1991-01-01', runs: [['110', 2019, 1, 12, 612345, e1], ['210', 2019, 1, 12, 612345, e1]] },
];
const RATES = { 110: [16, 8], 210: [0.7, 0.3], 310: [8, 2] };
const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const PAGE = 40;

// each person's payments per insurance, in order
const all = people.map((p) => ({ p, insurances: p.runs.map(([type, y0, m0, months, base, unit]) => ({ type, payments: Array.from({ length: months }, (_, k) => {
  const y = y0 + Math.floor((m0 - 1 + k) / 12);
  const m = ((m0 - 1 + k) % 12) + 1;
  const [er, ir] = RATES[type];
  return { period: `${y}-${String(m).padStart(2, '0')}`, base: yuan(base), unitAmount: yuan(Math.round((base * er) / 100)), personalAmount: yuan(Math.round((base * ir) / 100)), state: k % 13 === 12 ? 'ARREARS' : k === 0 && type === '110' ? 'SUPPLEMENT' : 'NORMAL', unit: { code: unit, name: NAMES[unit] } };
}) })) }));
const total = all.reduce((s, x) => s + x.insurances.reduce((t, i) => t + i.payments.length, 0), 0);

const pages = [];
let persons = [];
let used = 0;
const flush = () => { pages.push(persons); persons = []; used = 0; };
for (const { p, insurances } of all) {
  const rest = insurances.map((i) => ({ type: i.type, payments: [...i.payments] }));
  while (rest.length) {
    if (used === PAGE) flush();
    const part = { idNumber: p.idNumber, name: p.name, sex: p.sex, birthday: p.birthday, insurances: [] };
    while (rest.length && used < PAGE) {
      const take = rest[0].payments.splice(0, PAGE - used);
      used += take.length;
      part.insurances.push({ type: rest[0].type, payments: take });
      if (!rest[0].payments.length) rest.shift();
    }
    persons.push(part);
  }
}
if (persons.length) flush();

const dir = new URL('./sc-json-510100/', import.meta.url);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
pages.forEach((persons, i) => {
  const doc = { apiVersion: '2.3', areaCode: '510100', generatedAt: '2025-11-20T09:30:00+08:00', page: { number: i + 1, size: PAGE, total: pages.length }, totalPayments: total, persons };
  writeFileSync(new URL(`page-${String(i + 1).padStart(4, '0')}.json`, dir), `${JSON.stringify(doc, null, 2)}\n`);
});
console.log(`${pages.length} pages, ${total} payments, ${people.length} people`);
