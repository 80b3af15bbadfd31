import path from 'node:path';

/** Everything the running parts read from the environment, read once, in one place. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** An EventStoreDB connection string; the embedded SQLite store when absent. */
  eventStore: string | undefined;
  auth: {
    secret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    /** The UI's OIDC client (Authorization Code with PKCE); the UI signs in at `issuer` when both are set. */
    clientId: string | undefined;
    /** The scopes the UI asks for (`RRC_AUTH_SCOPE`, default `openid`). */
    scope: string;
    /** A resource indicator (RFC 8707) the UI sends, for providers that set the audience from it. */
    resource: string | undefined;
    /** Claim mapping (services/auth/claim-mapping.ts): where roles and State are, and role names. */
    rolesClaim: string | undefined;
    stateClaim: string | undefined;
    roleMap: string | undefined;
  };
  /** Whether this replica runs the deadline service (exactly one replica should). */
  deadlines: boolean;
  /** How often the deadline service runs, in milliseconds (`RRC_DEADLINES_INTERVAL_MS`, default a minute). */
  deadlinesIntervalMs: number;
  logLevel: string;
  rateLimitPerMinute: number;
  /** The master key that wraps every case's data key (base64); else a key file in `keysDir`. */
  masterKey: string | undefined;
  /** Where the case keys (and the master key file) live: shared by every replica of a cluster. */
  keysDir: string;
  /**
   * Where the case keys are kept (`RRC_KEY_STORE`): `file` (default, `<keysDir>/keys.sqlite`) or
   * `eventstoredb` (streams in the EventStoreDB of `RRC_EVENT_STORE`, shared by every replica
   * without a shared volume; needs `RRC_MASTER_KEY`).
   */
  keyStore: 'file' | 'eventstoredb';
  /** Days after closure when a case's personal data are erased by themselves; 0: never. */
  retentionDays: number;
  /** Where documents' sealed bytes live (`<dataDir>/documents`): shared by every replica of a cluster. */
  documentsDir: string;
  /** Webhook deliveries: `enabled` on exactly one replica (`RRC_WEBHOOKS=off` on the others). */
  webhooks: {
    enabled: boolean;
    timeoutMs: number;
    retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  };
}

const positiveInt = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.RRC_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`RRC_PORT is not a port: ${env.RRC_PORT}`);
  return {
    host: env.RRC_HOST ?? '127.0.0.1',
    port,
    dataDir: path.resolve(env.RRC_DATA_DIR ?? './data'),
    eventStore: env.RRC_EVENT_STORE || undefined,
    auth: {
      secret: env.RRC_AUTH_SECRET || undefined,
      jwksUrl: env.RRC_AUTH_JWKS_URL || undefined,
      issuer: env.RRC_AUTH_ISSUER || undefined,
      audience: env.RRC_AUTH_AUDIENCE || undefined,
      clientId: env.RRC_AUTH_CLIENT_ID || undefined,
      scope: env.RRC_AUTH_SCOPE || 'openid',
      resource: env.RRC_AUTH_RESOURCE || undefined,
      rolesClaim: env.RRC_AUTH_ROLES_CLAIM || undefined,
      stateClaim: env.RRC_AUTH_STATE_CLAIM || undefined,
      roleMap: env.RRC_AUTH_ROLE_MAP || undefined,
    },
    deadlines: (env.RRC_DEADLINES ?? 'on') !== 'off',
    deadlinesIntervalMs: Math.max(1000, Number(env.RRC_DEADLINES_INTERVAL_MS ?? 60_000) || 60_000),
    logLevel: env.RRC_LOG_LEVEL ?? 'info',
    rateLimitPerMinute: Number(env.RRC_RATE_LIMIT ?? 600),
    masterKey: env.RRC_MASTER_KEY || undefined,
    keysDir: path.resolve(env.RRC_KEYS_DIR || env.RRC_DATA_DIR || './data'),
    keyStore: keyStoreOf(env.RRC_KEY_STORE),
    retentionDays: Number(env.RRC_RETENTION_DAYS ?? 1825),
    documentsDir: path.resolve(env.RRC_DOCUMENTS_DIR || path.join(env.RRC_DATA_DIR ?? './data', 'documents')),
    webhooks: {
      enabled: (env.RRC_WEBHOOKS ?? 'on') !== 'off',
      timeoutMs: positiveInt(env.RRC_WEBHOOKS_TIMEOUT_MS, 10_000),
      // 8 attempts 30 s apart, doubling (30 s, 1 min, … 64 min): about two hours before a dead letter.
      retry: {
        maxAttempts: positiveInt(env.RRC_WEBHOOKS_MAX_ATTEMPTS, 8),
        baseDelayMs: positiveInt(env.RRC_WEBHOOKS_RETRY_BASE_MS, 30_000),
        maxDelayMs: 3_600_000,
      },
    },
  };
}

function keyStoreOf(value: string | undefined): Config['keyStore'] {
  if (!value || value === 'file') return 'file';
  if (value === 'eventstoredb') return value;
  throw new Error(`RRC_KEY_STORE is file or eventstoredb, got ${value}`);
}
