import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { connectEventStoreDb } from '../services/event-store/esdb-store.ts';

/** docker-compose.yml and the Dockerfile, checked against what services/event-store/README.md documents. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string | { context: string };
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

// `merge: true` resolves the `<<:` keys compose uses for the shared service settings.
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const env = (name: string): Record<string, string> => service(name).environment ?? {};
const healthcheck = (name: string): string => [service(name).healthcheck?.test ?? []].flat().join(' ');
const hostPort = (mapping: string): string => mapping.split(':')[0]!;
const dataVolume = (name: string, target: string): string | undefined =>
  service(name)
    .volumes?.find((v) => v.endsWith(`:${target}`))
    ?.split(':')[0];

const RRC_DEFAULT = ['rrc'];
const RRC_CLUSTER = ['rrc-1', 'rrc-2'];
const ES_DEFAULT = ['eventstore'];
const ES_CLUSTER = ['es1', 'es2', 'es3'];
const IMAGE = 'eventstore/eventstore:24.10';

describe('docker-compose.yml', () => {
  it('runs one rrc and one EventStoreDB node by default, the cluster only under its profile', () => {
    const byDefault = Object.entries(services)
      .filter(([, s]) => !s.profiles?.length)
      .map(([n]) => n);
    expect(byDefault.sort()).toEqual([...RRC_DEFAULT, ...ES_DEFAULT].sort());
    const cluster = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes('cluster'))
      .map(([n]) => n);
    expect(cluster.sort()).toEqual([...RRC_CLUSTER, ...ES_CLUSTER].sort());
  });

  it('builds rrc from the Dockerfile and pins the EventStoreDB image', () => {
    for (const name of [...RRC_DEFAULT, ...RRC_CLUSTER]) expect(service(name).build).toBe('.');
    for (const name of [...ES_DEFAULT, ...ES_CLUSTER]) expect(service(name).image).toBe(IMAGE);
  });

  it('publishes distinct host ports onto 3000 (rrc) and 2113 (EventStoreDB)', () => {
    expect(service('rrc').ports).toEqual(['3000:3000']);
    expect(service('eventstore').ports).toEqual(['2113:2113']);
    const all = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(new Set(all.map(hostPort)).size).toBe(all.length);
    for (const name of RRC_CLUSTER) expect(service(name).ports?.[0]).toMatch(/^\d+:3000$/);
  });

  it('checks health: rrc on /health/ready with node, EventStoreDB on /health/live', () => {
    for (const name of [...RRC_DEFAULT, ...RRC_CLUSTER]) {
      expect(healthcheck(name)).toMatch(/^CMD node -e .*fetch\('http:\/\/127\.0\.0\.1:3000\/health\/ready'\)/);
    }
    for (const name of [...ES_DEFAULT, ...ES_CLUSTER])
      expect(healthcheck(name)).toContain('http://localhost:2113/health/live');
  });

  it('points rrc at EventStoreDB, keeps its data in /data, and lets the deadline lease pick one replica', () => {
    expect(env('rrc')).toMatchObject({
      RRC_HOST: '0.0.0.0',
      RRC_EVENT_STORE: 'esdb://eventstore:2113?tls=false',
      RRC_DATA_DIR: '/data',
      RRC_DEADLINES: 'on',
    });
    for (const name of RRC_CLUSTER) {
      expect(env(name)).toMatchObject({
        RRC_HOST: '0.0.0.0',
        RRC_EVENT_STORE: 'esdb://es1:2113,es2:2113,es3:2113?tls=false&nodePreference=leader',
        RRC_DATA_DIR: '/data',
      });
    }
    // Both start the deadline service: the lease in the store lets one run it (no hand-set 'off').
    expect(RRC_CLUSTER.map((n) => env(n)['RRC_DEADLINES'])).toEqual(['on', 'on']);
    // The replicas share one key store, or a case sealed by one would not open on the other:
    // EventStoreDB itself, with one master key for both. The shared keys folder holds only the
    // export-signing key, so both replicas sign case exports with the one published key.
    for (const name of RRC_CLUSTER) {
      expect(env(name)).toMatchObject({ RRC_KEY_STORE: 'eventstoredb', RRC_MASTER_KEY: '${RRC_MASTER_KEY:-}' });
      expect(dataVolume(name, '/keys')).toBe('rrc-cluster-keys');
    }
    // Webhooks are delivered by one replica (its outbox and dead letters are its own).
    expect(RRC_CLUSTER.map((n) => env(n)['RRC_WEBHOOKS'] ?? 'on')).toEqual(['on', 'off']);
    expect(service('rrc').depends_on).toEqual({ eventstore: { condition: 'service_healthy' } });
    for (const name of RRC_CLUSTER) {
      expect(Object.keys(service(name).depends_on ?? {}).sort()).toEqual(ES_CLUSTER);
    }
  });

  it('uses connection strings the EventStoreDB adapter accepts', async () => {
    for (const name of [...RRC_DEFAULT, ...RRC_CLUSTER]) {
      const store = connectEventStoreDb(env(name)['RRC_EVENT_STORE']!); // connects lazily: no traffic
      await store.close();
    }
  });

  it('runs EventStoreDB insecure, without projections, the cluster by gossip seeds', () => {
    for (const name of [...ES_DEFAULT, ...ES_CLUSTER]) {
      expect(env(name)).toMatchObject({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' });
    }
    expect(env('eventstore')['EVENTSTORE_CLUSTER_SIZE']).toBe('1');
    for (const name of ES_CLUSTER) {
      expect(env(name)['EVENTSTORE_CLUSTER_SIZE']).toBe('3');
      const seeds = env(name)['EVENTSTORE_GOSSIP_SEED']?.split(',').sort();
      expect(seeds).toEqual(ES_CLUSTER.filter((n) => n !== name).map((n) => `${n}:2113`));
    }
  });

  it('gives every rrc and every node its own declared named volume', () => {
    const rrcVolumes = [...RRC_DEFAULT, ...RRC_CLUSTER].map((n) => dataVolume(n, '/data'));
    const esVolumes = [...ES_DEFAULT, ...ES_CLUSTER].map((n) => dataVolume(n, '/var/lib/eventstore'));
    for (const list of [rrcVolumes, esVolumes]) {
      expect(list.every((v) => v !== undefined && v in compose.volumes)).toBe(true);
      expect(new Set(list).size).toBe(list.length);
    }
    const used = Object.values(services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]!));
    for (const volume of used) expect(compose.volumes).toHaveProperty([volume]);
  });
});

describe('Dockerfile', () => {
  const file = resolve(root, 'Dockerfile');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';

  it('builds on node:20-bookworm-slim with npm ci and starts with npm start on 0.0.0.0:3000', () => {
    expect(text, 'Dockerfile is missing').not.toBe('');
    expect(text).toMatch(/^FROM node:20-bookworm-slim\b/m);
    expect(text).toMatch(/^RUN npm ci\b/m);
    expect(text).toMatch(/RRC_HOST=0\.0\.0\.0/);
    expect(text).toMatch(/^EXPOSE 3000$/m);
    expect(text).toMatch(/^HEALTHCHECK [\s\S]*\/health\/ready/m);
    expect(text).toMatch(/^CMD \["npm", "start"\]$/m);
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBeDefined();
  });
});
