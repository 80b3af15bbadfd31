import {
  NOT_SHAREABLE_KINDS,
  type DocumentKind,
  type DocumentMediaType,
  type Role,
  type UploadDocumentFields,
} from '../contracts/index.ts';
import { mayKnowOf, roleReaches, type Access, type Principal } from './access.ts';
import type { CaseState } from './case-state.ts';
import type { Decision } from './decide.ts';
import type { CaseData, CaseDocument } from './state.ts';

/**
 * Documents of a case (issue 13): attaching one is an action of the case like the others
 * (decided here, recorded as `DocumentAttached`), but its body is a file, so it has its own
 * multipart route rather than a row in the action table of JSON bodies.
 */

/** What the upload route measured of the file, with the caller's form fields. */
export interface DocumentAttachment extends UploadDocumentFields {
  /** Made by the handler, which stores the bytes under it before the upload is recorded. */
  documentId: string;
  size: number;
  sha256: string;
  mediaType: DocumentMediaType;
}

/**
 * Attaching is allowed in every stage but `closed` (a court decision may arrive after the
 * departure); sharing names a request of this case and never a kind that must not leave the
 * destination State.
 */
export function decideAttachDocument(state: CaseState, body: DocumentAttachment): Decision {
  const c = state.data;
  if (c === null || state.status === 'new') return { ok: false, kind: 'refused', rules: ['wrong-stage'] };
  const requestNumber = body.requestId === undefined ? undefined : Number(body.requestId.slice(1));
  if (requestNumber !== undefined && !(requestNumber >= 1 && requestNumber <= c.requestCount)) {
    return {
      ok: false,
      kind: 'invalid',
      errors: [{ path: 'requestId', message: `no readmission request ${body.requestId} on this case` }],
    };
  }
  if (c.documents.some((d) => d.documentId === body.documentId)) {
    return { ok: false, kind: 'invalid', errors: [{ path: 'documentId', message: 'already attached' }] };
  }
  if (state.status === 'closed') return { ok: false, kind: 'refused', rules: ['case-closed'] };
  const rules = [
    // Documents are personal data sealed with the case's key: once it is destroyed none can be kept.
    ...(c.personalDataErased ? (['wrong-stage'] as const) : []),
    ...(body.requestId !== undefined && !isShareable(body.kind) ? (['document-not-shareable'] as const) : []),
  ];
  if (rules.length > 0) return { ok: false, kind: 'refused', rules };
  return {
    ok: true,
    events: [
      {
        type: 'DocumentAttached',
        data: {
          documentId: body.documentId,
          kind: body.kind,
          size: body.size,
          sha256: body.sha256,
          mediaType: body.mediaType,
          ...(body.requestId !== undefined ? { requestId: body.requestId } : {}),
        },
      },
    ],
  };
}

export const isShareable = (kind: DocumentKind): boolean => !NOT_SHAREABLE_KINDS.includes(kind);

type CaseScope = Pick<CaseData, 'destinationState' | 'originState' | 'requestCount'>;

/** Uploading: the caseworker of the case's destination State. 404 for a case the caller may not know of. */
export function documentUploadAccess(p: Principal, c: CaseScope): Access {
  if (p.roles.includes('caseworker') && roleReaches('caseworker', p, c)) return { ok: true, role: 'caseworker' };
  return mayKnowOf(p, c) ? { ok: false, status: 403 } : { ok: false, status: 404 };
}

/** Roles that see documents at all; analysts see aggregates only, an admin only erases. */
const DOCUMENT_READERS: readonly Role[] = ['caseworker', 'monitor', 'liaison'];

/**
 * Listing and downloading: the widest role first, as for the case view. A reader role that does
 * not reach the case gets 404 (it may not know of it); analysts and bare admins 403 from the role alone.
 */
export function documentReadAccess(p: Principal, c: CaseScope): Access {
  for (const role of DOCUMENT_READERS) {
    if (p.roles.includes(role) && roleReaches(role, p, c)) return { ok: true, role };
  }
  return { ok: false, status: p.roles.some((r) => DOCUMENT_READERS.includes(r)) ? 404 : 403 };
}

/**
 * Which documents a role sees: the destination State's caseworker and the monitors all; the
 * origin State's liaison only those shared with a request (every request of a case is
 * addressed to its origin State), and never a kind that is not shareable, whatever the record says.
 */
export function documentsVisibleTo(role: Role, c: CaseData): CaseDocument[] {
  if (role === 'caseworker' || role === 'monitor') return c.documents;
  if (role === 'liaison') return c.documents.filter((d) => d.requestId !== undefined && isShareable(d.kind));
  return [];
}
