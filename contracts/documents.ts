import { z } from 'zod';
import { CaseIdParams, CommandAnswer } from './http.ts';

/**
 * Documents attached to a return case (issue 13): what kinds there are, which media types are
 * accepted (recognised by their bytes, never by a name), and the shapes of the HTTP answers.
 */
export const DocumentKind = z.enum([
  'passport-copy',
  'id-card-copy',
  'birth-certificate',
  'photo',
  'fingerprint-record',
  'travel-document',
  'medical-certificate',
  'court-decision',
  'other',
]);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** Kinds never shared with the origin State: health data and court decisions (domain.md, data protection). */
export const NOT_SHAREABLE_KINDS: readonly DocumentKind[] = ['medical-certificate', 'court-decision'];

export const DocumentMediaType = z.enum(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff']);
export type DocumentMediaType = z.infer<typeof DocumentMediaType>;

/** At most one file of this many bytes per upload. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Made by the server when the bytes are stored, before the upload is recorded: a UUID. */
export const DocumentId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a document id (a UUID)');

/** The form fields of an upload, besides the file. */
export const UploadDocumentFields = z.strictObject({
  kind: DocumentKind,
  /** Shares the document with the origin State, as part of this readmission request. */
  requestId: z
    .string()
    .regex(/^q[1-9]\d{0,8}$/, 'expected a request id q1, q2, …')
    .optional(),
});
export type UploadDocumentFields = z.infer<typeof UploadDocumentFields>;

/**
 * The whole form, for the OpenAPI document only: the route reads the form itself (streamed, the
 * file's size capped while it arrives) and checks its fields with `UploadDocumentFields`, so
 * this schema lets any body through and only describes.
 */
export const UploadDocumentForm = z.unknown().meta({
  description: 'multipart/form-data: the file and its kind; requestId shares it with the origin State',
  type: 'object',
  required: ['kind', 'file'],
  properties: {
    kind: { type: 'string', enum: DocumentKind.options },
    requestId: { type: 'string', pattern: '^q[1-9]\\d{0,8}$' },
    file: { type: 'string', format: 'binary', description: 'PDF, JPEG, PNG or TIFF, at most 10 MiB' },
  },
  additionalProperties: false,
});

export const DocumentIdParams = CaseIdParams.extend({ documentId: DocumentId });

export const DocumentItem = z
  .object({
    documentId: z.string(),
    kind: DocumentKind,
    size: z.number().int(),
    /** SHA-256 of the file's bytes, hex; null once the case's personal data are erased. */
    sha256: z.string().nullable(),
    mediaType: DocumentMediaType,
    requestId: z.string().nullable(),
    uploadedAt: z.string(),
    uploadedBy: z.string(),
  })
  .describe('A document attached to the case (metadata; the bytes are downloaded on their own path).');
export type DocumentItem = z.infer<typeof DocumentItem>;

export const DocumentList = z.object({ items: z.array(DocumentItem) });

export const DocumentUploaded = z
  // A command's answer (without its catch-all of created ids), plus the document.
  .object({ ...CommandAnswer.shape, document: DocumentItem })
  .describe('The document was stored and its upload recorded in the case.');
