import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CaseIdParams,
  DocumentIdParams,
  DocumentList,
  DocumentUploaded,
  MAX_DOCUMENT_BYTES,
  ProblemDetails,
  UploadDocumentFields,
  UploadDocumentForm,
} from '../../../contracts/index.ts';
import type { Services } from '../../container.ts';
import { InvalidInputError } from '../../commands/errors.ts';
import { DocumentTooLargeError, UnsupportedDocumentError } from '../../documents/errors.ts';
import { EXTENSIONS } from '../../documents/sniff.ts';
import { commandOptions } from '../http-helpers.ts';

const problems = { 400: ProblemDetails, 401: ProblemDetails, 403: ProblemDetails, 404: ProblemDetails };

/** Multipart errors of @fastify/multipart (busboy's limits) that mean "too much". */
const TOO_MUCH = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);

/** The form: `kind`, an optional `requestId`, and one `file`. The file's name is never read. */
async function readForm(request: FastifyRequest): Promise<{ fields: UploadDocumentFields; bytes: Buffer }> {
  if (!request.isMultipart()) {
    throw new UnsupportedDocumentError('Send multipart/form-data with a file and its kind.');
  }
  const fields: Record<string, string> = {};
  let bytes: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new InvalidInputError([{ path: part.fieldname, message: 'the file goes in the field "file"' }]);
        }
        bytes = await part.toBuffer();
      } else {
        if (part.fieldname in fields) {
          throw new InvalidInputError([{ path: part.fieldname, message: 'given twice' }]);
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (e) {
    if (TOO_MUCH.has((e as { code?: string }).code ?? '')) throw new DocumentTooLargeError();
    throw e;
  }
  const parsed = UploadDocumentFields.safeParse(fields);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: k, message: 'unknown field' }))
          : [{ path: i.path.join('.'), message: i.message }],
      ),
    );
  }
  if (bytes === undefined) throw new InvalidInputError([{ path: 'file', message: 'no file' }]);
  return { fields: parsed.data, bytes };
}

/**
 * Documents of a case: upload (multipart, one file up to 10 MiB), list, download. The
 * multipart parser is registered in this plugin's own scope, so every other route still takes
 * JSON only.
 */
const documentRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 4, fieldSize: 1000, parts: 5, headerPairs: 50 },
  });

  app.post(
    '/v1/cases/:caseId/documents',
    {
      // The app's 1 MiB limit, raised for this route only: the file, plus room for the form around it.
      bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
      schema: {
        operationId: 'uploadCaseDocument',
        tags: ['documents'],
        summary:
          'Attach a document (multipart/form-data: file, kind, optional requestId to share it with the origin State)',
        description:
          'Caseworker of the destination State. One file up to 10 MiB, PDF, JPEG, PNG or TIFF (recognised by its ' +
          'bytes). A `requestId` shares it with the origin State; a medical certificate or court decision is never ' +
          'shared (409 `document-not-shareable`).',
        params: CaseIdParams,
        consumes: ['multipart/form-data'],
        body: UploadDocumentForm,
        response: {
          201: DocumentUploaded,
          ...problems,
          409: ProblemDetails,
          412: ProblemDetails,
          413: ProblemDetails,
          415: ProblemDetails,
          422: ProblemDetails,
        },
      },
    },
    async (request, reply) => {
      const { caseId } = request.params;
      // Who may upload is settled before the body is read: a stranger gets its 403/404, not a 415.
      await services.documents.assertMayUpload(request.principal, caseId);
      const { fields, bytes } = await readForm(request);
      const { answer, document } = await services.documents.upload(
        request.principal,
        caseId,
        fields,
        bytes,
        commandOptions(request),
      );
      const { created: _created, ...rest } = answer;
      return reply
        .code(201)
        .header('Location', `/v1/cases/${caseId}/documents/${document.documentId}`)
        .header('ETag', `"${answer.revision}"`)
        .send({ ...rest, document });
    },
  );

  app.get(
    '/v1/cases/:caseId/documents',
    {
      schema: {
        operationId: 'listCaseDocuments',
        description:
          'Metadata of the case’s documents the caller may see: a liaison only those shared with its State’s request; monitors all.',
        tags: ['documents'],
        summary: 'The documents of a case the caller may see (the origin State’s liaison: those shared with it)',
        params: CaseIdParams,
        response: { 200: DocumentList, ...problems },
      },
    },
    async (request) => ({ items: await services.documents.list(request.principal, request.params.caseId) }),
  );

  app.get(
    '/v1/cases/:caseId/documents/:documentId',
    {
      schema: {
        operationId: 'downloadCaseDocument',
        description:
          'The document’s bytes, opened with the case’s key; a liaison’s or monitor’s download is recorded in the read audit.',
        tags: ['documents'],
        summary: 'Download one document (as an attachment; a liaison’s or monitor’s download is recorded)',
        params: DocumentIdParams,
        response: { 200: z.any().describe('The document’s bytes, with its media type'), ...problems },
      },
    },
    async (request, reply) => {
      const { caseId, documentId } = request.params;
      const download = await services.documents.download(request.principal, caseId, documentId);
      const ext = EXTENSIONS[download.mediaType as keyof typeof EXTENSIONS];
      // The name is made here from the id: nothing a user typed is ever echoed into a header.
      return reply
        .type(download.mediaType)
        .header('Content-Disposition', `attachment; filename="document-${download.documentId}.${ext}"`)
        .header('Cache-Control', 'no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .send(download.bytes);
    },
  );
};

export default documentRoutes;
