import { describe, expect, it } from 'vitest';
import { extractPersonal, injectPersonal } from './personal-fields.ts';

describe('personal fields', () => {
  const opened = {
    caseId: 'c1',
    person: { givenNames: 'Amina', familyName: 'Testova' },
    household: [
      { memberId: 'm1', givenNames: 'Sami', dateOfBirth: '2019-05-02', relationship: 'child' },
      { memberId: 'm2', givenNames: 'Lina', dateOfBirth: '2021-01-09', relationship: 'child' },
    ],
    returnDecision: { reference: 'RD-1', issuedOn: '2026-10-01' },
  };
  const paths = ['person', 'household[].givenNames', 'household[].dateOfBirth', 'returnDecision.reference', 'absent'];

  it('takes every named field out, array items included, and leaves the rest', () => {
    const { clear, personal } = extractPersonal(opened, paths);
    expect(clear).toEqual({
      caseId: 'c1',
      household: [
        { memberId: 'm1', relationship: 'child' },
        { memberId: 'm2', relationship: 'child' },
      ],
      returnDecision: { issuedOn: '2026-10-01' },
    });
    expect(Object.keys(personal).sort()).toEqual([
      'household.0.dateOfBirth',
      'household.0.givenNames',
      'household.1.dateOfBirth',
      'household.1.givenNames',
      'person',
      'returnDecision.reference',
    ]);
    expect(JSON.stringify(clear)).not.toMatch(/Amina|Sami|2019-05-02|RD-1/);
  });

  it('puts them back exactly', () => {
    const { clear, personal } = extractPersonal(opened, paths);
    expect(injectPersonal(clear, personal)).toEqual(opened);
  });

  it('does not touch the input', () => {
    const copy = structuredClone(opened);
    extractPersonal(opened, paths);
    expect(opened).toEqual(copy);
  });
});
