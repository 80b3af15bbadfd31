import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('sniffMediaType', () => {
  it('recognises PDF, JPEG, PNG and both TIFF byte orders by their first bytes', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.4\n'))).toBe('application/pdf');
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffMediaType(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('image/tiff');
    expect(sniffMediaType(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('image/tiff');
  });

  it('refuses anything else, whatever it is called: HTML, a script, a ZIP, text, truncated signatures', () => {
    for (const other of [
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.from('#!/bin/sh\n'),
      bytes(0x50, 0x4b, 0x03, 0x04),
      Buffer.from('PDF-1.4 without its percent sign'),
      bytes(0x89, 0x50, 0x4e, 0x47),
      bytes(0xff, 0xd8),
      bytes(),
    ]) {
      expect(sniffMediaType(other)).toBeUndefined();
    }
  });
});
