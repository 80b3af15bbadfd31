import { MAX_DOCUMENT_BYTES } from '../../contracts/index.ts';

/** An upload refused for its size or its parts: 413, with what the limit is. */
export class DocumentTooLargeError extends Error {
  readonly status = 413;
  constructor(
    readonly detail = `A document is limited to ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MiB, one file per upload.`,
  ) {
    super(detail);
  }
}

/** A body that is not a form, or a file whose bytes are not an accepted type: 415. */
export class UnsupportedDocumentError extends Error {
  readonly status = 415;
  constructor(
    readonly detail = 'Only PDF, JPEG, PNG and TIFF files are accepted (recognised by their content, not their name).',
  ) {
    super(detail);
  }
}
