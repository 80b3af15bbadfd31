import { Role } from '../../contracts/index.ts';

/**
 * Where a provider's access token carries what rrc calls `roles` and `state`, and what its
 * role names mean here. Keycloak puts realm roles under `realm_access.roles`, Entra ID app
 * roles under `roles`; both use names of the authority's own (`rrc-caseworker`). The mapped
 * claims then go through the same `Claims` check as rrc's own tokens.
 */
export interface ClaimMapping {
  /** A dotted path into the token (`realm_access.roles`); a key with dots of its own is tried whole first. */
  rolesClaim: string;
  stateClaim: string;
  /** Provider role name → rrc role; absent: the provider's names are rrc's names. */
  roleMap: ReadonlyMap<string, Role> | undefined;
}

/** `rrc-caseworker:caseworker,rrc-admin:admin` → a map; a target that is no rrc role is a mistake. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const at = pair.lastIndexOf(':');
    const from = pair.slice(0, at).trim();
    const to = Role.safeParse(pair.slice(at + 1).trim());
    if (at <= 0 || !from || !to.success) {
      throw new Error(
        `RRC_AUTH_ROLE_MAP: "${pair.trim()}" is not provider-role:rrc-role (rrc roles: ${Role.options.join(', ')})`,
      );
    }
    map.set(from, to.data);
  }
  return map;
}

/** The value at a dotted path: `a.b.c`, or the key `a.b.c` itself when the object has it. */
export function claimAt(payload: unknown, dotted: string): unknown {
  if (payload === null || typeof payload !== 'object') return undefined;
  const record = payload as Record<string, unknown>;
  if (Object.hasOwn(record, dotted)) return record[dotted];
  const dot = dotted.indexOf('.');
  if (dot < 0) return undefined;
  const head = dotted.slice(0, dot);
  return Object.hasOwn(record, head) ? claimAt(record[head], dotted.slice(dot + 1)) : undefined;
}

/**
 * The payload with `roles` and `state` replaced by the mapped ones. Roles rrc does not know
 * are dropped (a provider gives people many roles of other systems); a space-separated
 * string is read as a list, as some providers send one role as a plain string.
 */
export function mapClaims(payload: Record<string, unknown>, mapping: ClaimMapping): Record<string, unknown> {
  const raw = claimAt(payload, mapping.rolesClaim);
  const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : [];
  const roles = new Set<Role>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const role = mapping.roleMap ? mapping.roleMap.get(name) : Role.safeParse(name).data;
    if (role) roles.add(role);
  }
  // A Keycloak user attribute may come as a list of one value.
  const found = claimAt(payload, mapping.stateClaim);
  const state: unknown = Array.isArray(found) && found.length === 1 ? (found[0] as unknown) : found;
  const { roles: _roles, state: _state, ...rest } = payload;
  return { ...rest, roles: [...roles], ...(state === undefined ? {} : { state }) };
}

/** The mapping the configuration asks for, or undefined when it asks for none (rrc's own claim names). */
export function claimMapping(auth: {
  rolesClaim?: string | undefined;
  stateClaim?: string | undefined;
  roleMap?: string | undefined;
}): ClaimMapping | undefined {
  if (!auth.rolesClaim && !auth.stateClaim && !auth.roleMap) return undefined;
  return {
    rolesClaim: auth.rolesClaim ?? 'roles',
    stateClaim: auth.stateClaim ?? 'state',
    roleMap: auth.roleMap ? parseRoleMap(auth.roleMap) : undefined,
  };
}
