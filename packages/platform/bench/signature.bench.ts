/**
 * What verifying the sender's envelope signature costs the accept path (a bench script, not
 * a test). In process, no HTTP: `acceptMessage` of the platform on the same storage, with
 * the signature check (RFC 8785 canonical form + Ed25519 verify through node:crypto, key validity)
 * and without it (the least-work baseline: the same path minus the check), interleaved in
 * rounds A, B, A, B, …; medians of the per-message time per round, printed as a ratio with
 * the absolute figures, and the check alone per message.
 *
 *   pnpm --filter @jiexu/platform exec tsx bench/signature.bench.ts
 *   BENCH_ROUNDS=8 BENCH_PER_ROUND=100 BENCH_STORAGE=pglite|postgres (DATABASE_URL for postgres)
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { makeEnvelope, signEnvelope } from '@jiexu/client';
import { checkEnvelopeSignature } from '../src/envelope-signatures.ts';
import { canonicalForm } from '../src/canonical-json.ts';
import { acceptMessage, type Envelope, type PlatformContext } from '../src/messages.ts';
import { registerInstitution, exampleData, startTestPlatform } from '../src/testing.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 100);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (process.env.BENCH_STORAGE === 'pglite') delete process.env.DATABASE_URL;
  const p = await startTestPlatform();
  const from = await registerInstitution(p, '360100-si');
  const to = await registerInstitution(p, '110100-si');
  const [inst] = await p.db.query(`SELECT kid, public_key FROM institution_keys WHERE institution_id = $1`, [from.id]);
  const keys = [{ kid: inst.kid, publicKey: inst.public_key, notBefore: null, notAfter: null }];
  const data = exampleData('pension.transfer-application', { applicationDate: new Date().toISOString().slice(0, 10) });
  const batch = async () => {
    const out: Array<{ env: Envelope; signature: string }> = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const env = makeEnvelope({ message: 'pension.transfer-application', sender: from.id, receivers: [to.id], caseId: `${from.id}:B-${randomBytes(6).toString('hex')}`, caseType: 'pension-transfer', data }) as Envelope;
      out.push({ env, signature: await signEnvelope(env, from.privateKeyPem) });
    }
    return out;
  };
  const withCheck: PlatformContext = { ...p.context, verifyEnvelopeSignatures: true };
  const without: PlatformContext = { ...p.context, verifyEnvelopeSignatures: false };
  const run = async (ctx: PlatformContext) => {
    const msgs = await batch(); // signing is the sender's cost: outside the timing
    const t0 = process.hrtime.bigint();
    for (const m of msgs) await acceptMessage(ctx, from.id, m.env, { signature: m.signature, keys });
    return Number(process.hrtime.bigint() - t0) / 1e6 / msgs.length;
  };
  const checkOnly = async () => {
    const msgs = await batch();
    const t0 = process.hrtime.bigint();
    for (const m of msgs) if ('issue' in (await checkEnvelopeSignature(canonicalForm(m.env).bytes, m.signature, keys, new Date()))) throw new Error('bench signature did not verify');
    return Number(process.hrtime.bigint() - t0) / 1e6 / msgs.length;
  };
  await run(withCheck); // warm-up: JIT, prepared statements, key parsing
  await run(without);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const load0 = loadavg()[0];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await run(withCheck));
    b.push(await run(without));
    c.push(await checkOnly());
  }
  const ma = median(a);
  const mb = median(b);
  process.stdout.write(
    `accept path on ${p.storage}, ${ROUNDS} rounds × ${PER_ROUND} messages, interleaved (with, without, check alone), load avg ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}\n` +
      `  with the signature check:    ${ma.toFixed(3)} ms/message (median of rounds)\n` +
      `  without (baseline):          ${mb.toFixed(3)} ms/message\n` +
      `  ratio with / without:        ${(ma / mb).toFixed(3)}\n` +
      `  the check alone:             ${median(c).toFixed(3)} ms/message (canonicalize + Ed25519 verify + key period)\n`,
  );
  await p.close();
}

main().catch((err) => {
  process.stderr.write(`signature bench: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
