import type * as Fastify from 'fastify';

/** A route as the app registered it: the method and the URL template (`/v1/cases/:caseId`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * fastify, with an `onRoute` hook added to each instance the moment it is made (before any
 * plugin), so every route the app registers lands in `into`. For a spec's
 * `vi.mock('fastify', async (original) => recordingFastify(await original(), ROUTES))`,
 * with `ROUTES` made by `vi.hoisted`.
 */
export function recordingFastify(mod: typeof Fastify, into: RegisteredRoute[]): typeof Fastify {
  const factory = ((options: unknown) => {
    const app = mod.default(options as never);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) into.push({ method, url: route.url });
    });
    return app;
  }) as unknown as typeof mod.default;
  return { ...mod, default: factory };
}
