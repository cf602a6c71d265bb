/**
 * `jiexu demo --keep`: after the story the demo's platform stays up, with the console under
 * /console/, until Ctrl+C. The demo's keys are made in memory; for the browser they are
 * written to <out>/console-keys/ (one PKCS#8 PEM per institution, and operator.key, an
 * operator console key registered for the kept platform). The clock goes on from the
 * demo's last instant at the real pace, so the overdue case stays overdue and sessions
 * expire as they should (docs/console.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addOperatorKey, generateKeyPair, PLATFORM_ID } from '@jiexu/platform';
import { CONSOLE_BASE } from '@jiexu/console';
import type { Story } from './story.ts';
import type { World } from './world.ts';

/** Writes the keys, says how to sign in, and resolves when `until` does. */
export async function keepOpen(world: World, story: Story, outDir: string, consoleServed: boolean, until: Promise<void>): Promise<void> {
  world.clock.run();
  const dir = join(outDir, 'console-keys');
  await mkdir(dir, { recursive: true });
  const keys: string[] = [];
  for (const office of world.offices.values()) {
    const file = join(dir, `${office.id}.key`);
    await writeFile(file, office.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    keys.push(file);
  }
  const operator = generateKeyPair();
  await addOperatorKey(world.platform.db, operator.publicKeyPem, world.clock.now());
  const operatorFile = join(dir, 'operator.key');
  await writeFile(operatorFile, operator.privateKeyPem, { mode: 0o600 });

  const url = `${world.platform.url}${CONSOLE_BASE}`;
  story.say({ zh: '\n━━ 平台继续运行（--keep），按 Ctrl+C 停止', en: '\n━━ the platform keeps running (--keep); Ctrl+C stops it' });
  story.say({ zh: `平台：${world.platform.url}（时钟从 ${world.clock.iso()} 起按真实速度走）`, en: `platform: ${world.platform.url} (the clock goes on from ${world.clock.iso()} at the real pace)` });
  if (consoleServed) story.say({ zh: `控制台：${url}#/console`, en: `console: ${url}#/console` });
  else story.say({ zh: '控制台尚未构建（pnpm --filter @jiexu/console build），此次只提供 API', en: 'the console is not built (pnpm --filter @jiexu/console build): the API only this time' });
  story.say({
    zh: `登录：在“控制台”页填写机构标识（例如 110000-si），选择其私钥文件 ${join(dir, '<机构标识>.key')}；私钥只在浏览器中用于签名，不会上传。`,
    en: `sign in: on the Console page enter the institution id (e.g. 110000-si) and pick its private key ${join(dir, '<institution id>.key')}; the key signs in the browser and is never uploaded.`,
  });
  story.say({ zh: `平台运营方：机构标识填 ${PLATFORM_ID}，私钥文件 ${operatorFile}（可看全部案件，个人身份信息已遮蔽）`, en: `platform operator: id ${PLATFORM_ID}, key ${operatorFile} (sees every case, personal identifiers masked)` });
  for (const k of keys) story.say({ zh: `  ${k}`, en: `  ${k}` });
  await until;
}
