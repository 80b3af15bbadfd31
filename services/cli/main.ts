import { parseArgs } from 'node:util';
import { Role } from '../../contracts/index.ts';
import { hmacSecret, parseTtl, signToken } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { closeOnSignals, startServer } from '../server.ts';

const USAGE = `rrc: return and readmission coordination

  rrc serve                         serve the API (RRC_HOST, RRC_PORT, RRC_DATA_DIR, RRC_EVENT_STORE)
  rrc token --role ROLE [--role ROLE] [--state XX] [--sub NAME] [--ttl 8h]
                                    print a token the server in the same data dir accepts
`;

async function serve(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  closeOnSignals(server, logger);
  logger.info({ url: server.url, store: server.services.store.kind }, 'rrc is serving');
  process.stdout.write(`rrc is serving at ${server.url} (API docs: ${server.url}/docs)\n`);
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
