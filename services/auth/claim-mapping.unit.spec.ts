import { describe, expect, it } from 'vitest';
import { claimAt, claimMapping, mapClaims, parseRoleMap } from './claim-mapping.ts';

const keycloak = claimMapping({
  rolesClaim: 'realm_access.roles',
  stateClaim: 'rrc_state',
  roleMap: 'rrc-caseworker:caseworker, rrc-admin:admin,team/analysts:analyst',
})!;

describe('claim mapping', () => {
  it('is off unless configured: rrc’s own claim names stay as they are', () => {
    expect(claimMapping({})).toBeUndefined();
    expect(claimMapping({ rolesClaim: 'roles' })).toEqual({
      rolesClaim: 'roles',
      stateClaim: 'state',
      roleMap: undefined,
    });
  });

  it('reads a dotted path, and a key with dots of its own first', () => {
    expect(claimAt({ realm_access: { roles: ['a'] } }, 'realm_access.roles')).toEqual(['a']);
    expect(claimAt({ 'https://rrc.example/roles': ['b'] }, 'https://rrc.example/roles')).toEqual(['b']);
    expect(claimAt({ realm_access: 'x' }, 'realm_access.roles')).toBeUndefined();
    expect(claimAt({}, 'constructor.name')).toBeUndefined();
  });

  it('maps a Keycloak token’s realm roles and State, ignoring roles rrc does not know', () => {
    const payload = {
      sub: 'u1',
      exp: 1,
      roles: ['admin'], // not where this provider keeps roles: never read
      realm_access: { roles: ['offline_access', 'rrc-caseworker', 'team/analysts', 'rrc-caseworker'] },
      rrc_state: 'DE',
    };
    expect(mapClaims(payload, keycloak)).toEqual({
      sub: 'u1',
      exp: 1,
      realm_access: payload.realm_access,
      rrc_state: 'DE',
      roles: ['caseworker', 'analyst'],
      state: 'DE',
    });
  });

  it('without a role map takes the provider’s names that are rrc roles; a string is a space-separated list', () => {
    const entra = claimMapping({ rolesClaim: 'roles', stateClaim: 'ctry' })!;
    expect(mapClaims({ roles: ['monitor', 'Global.Reader'], ctry: 'PK' }, entra)).toMatchObject({
      roles: ['monitor'],
      state: 'PK',
    });
    expect(mapClaims({ roles: 'analyst admin' }, entra).roles).toEqual(['analyst', 'admin']);
    expect(mapClaims({ state: 'DE' }, entra)).toEqual({ roles: [] }); // the old state claim is not read
    expect(mapClaims({ roles: ['caseworker'], ctry: ['PK'] }, entra).state).toBe('PK');
    expect(mapClaims({ roles: ['caseworker'], ctry: ['PK', 'DE'] }, entra).state).toEqual(['PK', 'DE']); // refused later
  });

  it('refuses a role map that names no rrc role', () => {
    expect(() => parseRoleMap('rrc-boss:superuser')).toThrow(/RRC_AUTH_ROLE_MAP/);
    expect(() => parseRoleMap('caseworker')).toThrow(/provider-role:rrc-role/);
    expect(parseRoleMap('urn:x:caseworker:caseworker,')).toEqual(new Map([['urn:x:caseworker', 'caseworker']]));
  });
});
