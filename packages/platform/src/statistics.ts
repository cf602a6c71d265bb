/**
 * GET /v1/statistics: pension transfers in and out per pooling region and year,
 * with the funds named in the messages — the report's table 8, from the
 * platform's own record. A transfer is a `pension.transfer-info` the platform
 * accepted (the old place's information form with the funds, 66号 art. 8 (3)):
 * out for its `fromRegion`, in for its `toRegion`, in the year (China time) the
 * platform received it, funds = its `totalTransferFen`. An institution sees its
 * own region; the operator (CLI, with the database) sees every region.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from './db.ts';

export interface TransferStatistics {
  region: string;
  year: number;
  transfersIn: number;
  transfersOut: number;
  fundsInFen: number;
  fundsOutFen: number;
}

const SQL = `
SELECT region, year, sum(n_in)::bigint AS "transfersIn", sum(n_out)::bigint AS "transfersOut", sum(f_in)::bigint AS "fundsInFen", sum(f_out)::bigint AS "fundsOutFen"
FROM (
  SELECT envelope->'data'->>'toRegion' AS region, extract(year FROM (received_at AT TIME ZONE 'UTC') + interval '8 hours')::int AS year,
         1 AS n_in, 0 AS n_out, (envelope->'data'->>'totalTransferFen')::bigint AS f_in, 0::bigint AS f_out
  FROM messages WHERE type LIKE 'cn.jiexu.pension.transfer-info.v%'
  UNION ALL
  SELECT envelope->'data'->>'fromRegion', extract(year FROM (received_at AT TIME ZONE 'UTC') + interval '8 hours')::int,
         0, 1, 0::bigint, (envelope->'data'->>'totalTransferFen')::bigint
  FROM messages WHERE type LIKE 'cn.jiexu.pension.transfer-info.v%'
) t
WHERE $1::text IS NULL OR region = $1::text
GROUP BY region, year
ORDER BY region, year`;

const int = (v: unknown): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`statistics: ${String(v)} exceeds the exact integer range`);
  return n;
};

/** Rows per region and year; `region` limits them to one pooling region (an institution's own). */
export async function transferStatistics(q: Queryable, region?: string): Promise<TransferStatistics[]> {
  const rows = await q.query(SQL, [region ?? null]);
  return rows.map((r) => ({ region: String(r.region), year: int(r.year), transfersIn: int(r.transfersIn), transfersOut: int(r.transfersOut), fundsInFen: int(r.fundsInFen), fundsOutFen: int(r.fundsOutFen) }));
}

/** The route: an institution sees its own region, every year. */
export function registerStatisticsRoute(app: FastifyInstance, db: Queryable, regionOf: (req: FastifyRequest) => Promise<string>): void {
  app.get('/v1/statistics', async (req, reply) => reply.send({ statistics: await transferStatistics(db, await regionOf(req)) }));
}
