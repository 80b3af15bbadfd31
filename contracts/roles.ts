import { z } from 'zod';
import { Role, StateCode } from './common.ts';

/** The claims rrc reads from a bearer token. */
export const Claims = z
  .object({
    sub: z.string().min(1),
    roles: z.array(Role).min(1),
    state: StateCode.optional(),
    exp: z.number().int(),
  })
  .refine((c) => !(c.roles.includes('caseworker') || c.roles.includes('liaison')) || c.state !== undefined, {
    message: 'a caseworker or liaison token needs a state claim',
    path: ['state'],
  });
export type Claims = z.infer<typeof Claims>;

/** `GET /v1/me`: the caller as rrc sees them, after a provider's claims were mapped (services/auth). */
export const CurrentUser = z.object({
  sub: z.string(),
  roles: z.array(Role),
  state: StateCode.optional(),
});
export type CurrentUser = z.infer<typeof CurrentUser>;
