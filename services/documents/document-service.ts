import { createHash, randomUUID } from 'node:crypto';
import type { DocumentItem, EventMetadata, UploadDocumentFields } from '../../contracts/index.ts';
import {
  decideAttachDocument,
  documentReadAccess,
  documentsVisibleTo,
  documentUploadAccess,
  type CaseDocument,
  type Principal,
} from '../../domain/index.ts';
import type { CaseCommands, CommandAnswer, CommandOptions } from '../commands/case-commands.ts';
import type { CaseRepository } from '../commands/case-repository.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import { ForbiddenError, InvalidInputError, NotFoundError, RefusedError } from '../commands/errors.ts';
import { returnCaseStream, type EventStore } from '../event-store/port.ts';
import { open, seal, type KeyStore } from '../privacy/key-store.ts';
import type { ReadAudit } from '../privacy/read-audit.ts';
import type { DocumentFiles } from './document-files.ts';
import { UnsupportedDocumentError } from './errors.ts';
import { sniffMediaType } from './sniff.ts';

export interface DocumentServiceDeps {
  commands: CaseCommands;
  repository: CaseRepository;
  store: EventStore;
  codec: EventCodec;
  keys: KeyStore;
  files: DocumentFiles;
  readAudit: ReadAudit;
}

export interface Download {
  documentId: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * Documents of a case: the bytes sealed with the case's data key (the key store's own
 * seal/open, as the event codec seals personal fields), one file each in the documents
 * folder; the upload recorded as `DocumentAttached` through the case's command path.
 * Destroying the key (erasure) makes every file unreadable; the erasure hook deletes them.
 */
export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  /** 404 for a case the caller may not know of, 403 for a role that may not upload; nothing else is read. */
  async assertMayUpload(principal: Principal, caseId: string): Promise<void> {
    const c = (await this.deps.repository.load(caseId)).state.data;
    if (c === null) throw new NotFoundError();
    const access = documentUploadAccess(principal, c);
    if (!access.ok) throw access.status === 404 ? new NotFoundError() : new ForbiddenError();
  }

  async upload(
    principal: Principal,
    caseId: string,
    fields: UploadDocumentFields,
    bytes: Buffer,
    options: CommandOptions = {},
  ): Promise<{ answer: CommandAnswer; document: DocumentItem }> {
    const { commands, files, keys } = this.deps;
    // Who may upload, before anything is stored: a stranger's upload never reaches the disk.
    await this.assertMayUpload(principal, caseId);
    if (bytes.length === 0) throw new InvalidInputError([{ path: 'file', message: 'the file is empty' }]);
    const mediaType = sniffMediaType(bytes);
    if (mediaType === undefined) throw new UnsupportedDocumentError();
    const key = keys.dataKey(caseId, false);
    // No key: the case's personal data were erased, and a document is personal data.
    if (key === undefined) throw new RefusedError(['wrong-stage']);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const documentId = randomUUID();
    // The bytes first, under an id of their own: an upload recorded is always readable. A file
    // whose upload is not recorded (refused, or a crash in between) is removed or stays sealed.
    await files.write(caseId, documentId, seal(key, bytes));
    let answer: CommandAnswer;
    try {
      const body = { ...fields, documentId, size: bytes.length, sha256, mediaType };
      answer = await commands.executeStep(
        principal,
        caseId,
        {
          action: 'attach-document',
          request: { action: 'attach-document', ...fields, sha256 },
          access: (current) => documentUploadAccess(principal, current),
          decide: (state) => decideAttachDocument(state, body),
        },
        options,
      );
    } catch (e) {
      await files.remove(caseId, documentId);
      throw e;
    }
    const [recorded] = await this.attachedEvents(caseId, answer.revision);
    // A repeat of an Idempotency-Key answers with the first upload: this one's bytes are not kept.
    if (recorded?.document.documentId !== documentId) await files.remove(caseId, documentId);
    if (!recorded) throw new NotFoundError('The upload is not recorded.');
    return { answer, document: recorded.item };
  }

  /** The documents the caller's role may see, oldest first. */
  async list(principal: Principal, caseId: string): Promise<DocumentItem[]> {
    const { c, role } = await this.readable(principal, caseId);
    await this.deps.readAudit.record(principal, role, caseId, 'documents');
    const visible = new Set(documentsVisibleTo(role, c).map((d) => d.documentId));
    return (await this.attachedEvents(caseId, 0)).filter((e) => visible.has(e.document.documentId)).map((e) => e.item);
  }

  /** One document's bytes, if the caller's role may see it; a liaison's or monitor's download is recorded first. */
  async download(principal: Principal, caseId: string, documentId: string): Promise<Download> {
    const { c, role } = await this.readable(principal, caseId);
    const document = documentsVisibleTo(role, c).find((d) => d.documentId === documentId);
    if (!document) throw new NotFoundError('No such document on this case.');
    const key = this.deps.keys.dataKey(caseId, false);
    const sealed = key && (await this.deps.files.read(caseId, documentId));
    if (!key || !sealed) throw new NotFoundError('The document was erased.');
    await this.deps.readAudit.record(principal, role, caseId, 'document', documentId);
    const bytes = open(key, sealed);
    if (document.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== document.sha256) {
      // GCM already authenticates the bytes; this catches a file swapped for another of the same case.
      throw new Error('document integrity check failed');
    }
    return { documentId, mediaType: document.mediaType, bytes };
  }

  private async readable(principal: Principal, caseId: string) {
    const c = (await this.deps.repository.load(caseId)).state.data;
    if (c === null) {
      if (!principal.roles.some((r) => r === 'caseworker' || r === 'liaison' || r === 'monitor')) {
        throw new ForbiddenError('Your role does not read documents.');
      }
      throw new NotFoundError();
    }
    const access = documentReadAccess(principal, c);
    if (!access.ok) {
      throw access.status === 404 ? new NotFoundError() : new ForbiddenError('Your role does not read documents.');
    }
    return { c, role: access.role };
  }

  /** The case's `DocumentAttached` events from a revision on, with who uploaded each and when. */
  private async attachedEvents(
    caseId: string,
    fromRevision: number,
  ): Promise<{ document: CaseDocument; item: DocumentItem }[]> {
    const stored = await this.deps.store.readStream(returnCaseStream(caseId), fromRevision);
    return stored
      .filter((s) => s.type === 'DocumentAttached')
      .map((s) => {
        const { event } = this.deps.codec.decode(s);
        const metadata = s.metadata as EventMetadata;
        const document = event.data as CaseDocument;
        const item: DocumentItem = {
          documentId: document.documentId,
          kind: document.kind,
          size: document.size,
          sha256: document.sha256 ?? null,
          mediaType: document.mediaType as DocumentItem['mediaType'],
          requestId: document.requestId ?? null,
          uploadedAt: metadata.recordedAt,
          uploadedBy: metadata.actor.sub,
        };
        return { document, item };
      });
  }
}
