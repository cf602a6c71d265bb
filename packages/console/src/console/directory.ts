/** The institution directory per province: connected prefectures ("5 of Jiangxi's 11"), status, last message seen, standard version read. */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { read, type DirectoryPage } from './api.ts';
import { chinaTime, count } from './format.ts';
import { T } from './texts.ts';
import { badge, table } from './ui.ts';

export async function renderDirectory(root: HTMLElement): Promise<void> {
  const data = await read<DirectoryPage>('/v1/console/directory');
  root.append(h('h2', { id: 'page-title' }, say(T.directory)), h('p', {}, say(T.directoryIntro)));
  for (const p of data.provinces) {
    const headingId = `prov-${p.province}`;
    root.append(
      h(
        'section',
        { class: 'province', 'aria-labelledby': headingId, 'data-province': p.province },
        h('h3', { id: headingId }, `${say(p.provinceLabel)} — ${say(T.connectedOf)} `, h('span', { class: 'ratio', 'data-testid': `ratio-${p.province}` }, `${p.connectedPrefectures} / ${p.totalPrefectures}`)),
        p.provincial.length ? h('p', {}, `${say(T.provincial)}: ${p.provincial.join(', ')}`) : null,
        h(
          'ul',
          { class: 'prefectures', 'aria-label': say(T.prefectures) },
          ...p.prefectures.map((x) => h('li', { class: x.connected ? 'on' : 'off' }, `${say(x.label)} `, h('span', { class: 'muted' }, `(${x.code}) ${say(x.connected ? T.connected : T.notConnected)}`))),
        ),
        table(
          { zh: `${say(p.provinceLabel)}的经办机构`, en: `Institutions in ${say(p.provinceLabel)}` },
          [T.institution, T.name, T.regionName, T.status, T.standardVersion, T.lastMessage, T.sent],
          p.institutions.map((i) => [
            [i.id, i.self ? say(T.you) : ''],
            i.name,
            `${say(i.regionLabel)} (${i.region})`,
            i.connected ? badge(T.active, 'ok') : badge(T.disabled, 'bad'),
            i.standardVersion,
            i.lastMessageAt ? chinaTime(i.lastMessageAt) : say(T.never),
            count(i.messagesSent),
          ]),
        ),
      ),
    );
  }
}
