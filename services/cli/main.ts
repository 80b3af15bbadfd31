import { parseArgs } from 'node:util';
import { Role } from '../../contracts/index.ts';
import { hmacSecret, parseTtl, signToken } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';

const USAGE = `rrc: return and readmission coordination

  rrc serve                         serve the API and the web UI at /ui (RRC_HOST, RRC_PORT, RRC_DATA_DIR, RRC_EVENT_STORE)
  rrc token --role ROLE [--role ROLE] [--state XX] [--sub NAME] [--ttl 8h]
                                    print a token the server in the same data dir accepts
  rrc erase --case ID [--reasons TEXT]
                                    erase a case's personal data (crypto-shredding)
  rrc verify                        check every stream's hash chain in the configured store; names the first broken link
  rrc verify-export FILE [--key JWKS]
                                    check a case export's signature and hash chain offline
  rrc projections rebuild [NAME]    drop the read models (or one) and replay the event log
  rrc projections status            checkpoints and lag of every read model
  rrc demo seed --cases N [--seed S] [--start YYYY-MM-DD]
                                    synthetic cases (invented people) into an empty data dir
`;

async function serve(): Promise<number> {
  // Loaded here, not at the top (nor erase's store): `rrc token` needs none of it and starts seconds faster.
  const [{ createLogger }, { closeOnSignals, startServer }] = await Promise.all([
    import('../logger.ts'),
    import('../server.ts'),
  ]);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  closeOnSignals(server, logger);
  logger.info({ url: server.url, store: server.services.store.kind }, 'rrc is serving');
  process.stdout.write(`rrc is serving at ${server.url} (API docs: ${server.url}/docs)\n`);
  process.stdout.write(`UI: ${server.url}/ui\n`);
  return new Promise<number>(() => {}); // runs until a signal
}

async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string', multiple: true },
      state: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
    strict: true,
  });
  const roles = (values.role ?? []).map((r) => Role.parse(r));
  if (roles.length === 0) throw new Error('give at least one --role (caseworker, liaison, monitor, analyst, admin)');
  const config = loadConfig();
  const jwt = await signToken(hmacSecret(config), {
    sub: values.sub ?? `${roles[0]}-${values.state ?? 'x'}`.toLowerCase(),
    roles,
    state: values.state?.toUpperCase(),
    ttlSeconds: parseTtl(values.ttl),
  });
  process.stdout.write(`${jwt}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'token':
        return await token(rest);
      case 'erase':
        return await (await import('./erase.ts')).erase(rest);
      case 'verify':
        return await (await import('./verify.ts')).verify();
      case 'verify-export':
        return await (await import('./verify-export.ts')).verifyExportFile(rest);
      case 'projections':
        return await (await import('./projections.ts')).projections(rest);
      case 'demo':
        return await (await import('./demo.ts')).demo(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
        return 1;
    }
  } catch (e) {
    process.stderr.write(`rrc ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}
