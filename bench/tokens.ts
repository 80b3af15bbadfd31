import { signToken } from '../services/auth/tokens.ts';

/** The HS256 secret the bench's server runs with (loopback only, a temporary data dir). */
export const SECRET = 'rrc-benchmark-secret-not-for-production';

/** Tokens for the analyst's report and the command mix's callers. */
export async function benchTokens() {
  const secret = new TextEncoder().encode(SECRET);
  const sign = (sub: string, roles: ('caseworker' | 'liaison' | 'monitor' | 'analyst')[], state?: string) =>
    signToken(secret, { sub, roles, state, ttlSeconds: 6 * 3600 });
  const caseworker: Record<string, string> = {};
  for (const st of ['DE', 'FR', 'NL'])
    caseworker[st] = await sign(`bench-caseworker-${st.toLowerCase()}`, ['caseworker'], st);
  const liaison: Record<string, string> = {};
  for (const st of ['PK', 'MA', 'GE', 'NG', 'IQ'])
    liaison[st] = await sign(`bench-liaison-${st.toLowerCase()}`, ['liaison'], st);
  return {
    analyst: await sign('bench-analyst', ['analyst']),
    plan: { caseworker, liaison, monitor: await sign('bench-monitor', ['monitor']) },
  };
}
