import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createServices } from '../container.ts';

/**
 * `rrc erase --case ID [--reasons TEXT]`: the same erasure as the admin route, from the
 * operator's shell, recorded with the operator as actor.
 */
export async function erase(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      case: { type: 'string' },
      reasons: { type: 'string', default: 'End of the retention period (erased from the command line).' },
      operator: { type: 'string', default: process.env.USER ?? 'operator' },
    },
    strict: true,
  });
  if (!values.case) throw new Error('give --case ID');
  const services = await createServices(loadConfig());
  try {
    const answer = await services.commands.execute({ sub: `cli:${values.operator}`, roles: ['admin'] }, values.case, {
      action: 'erase-personal-data',
      body: { reasons: values.reasons },
    });
    process.stdout.write(`erased the personal data of case ${answer.caseId} (revision ${answer.revision})\n`);
    return 0;
  } finally {
    await services.close();
  }
}
