import type { EventStoreDBClient } from '@eventstore/db-client';

export type KeyState = { state: 'none' } | { state: 'live'; wrapped: string } | { state: 'destroyed' };

export interface KeyStreamOps {
  read(caseId: string): Promise<KeyState>;
  create(caseId: string, wrapped: string): Promise<KeyState>;
  tombstone(caseId: string): Promise<KeyState>;
}

export const KEY_STREAM_PREFIX: string;
export const KEY_EVENT_TYPE: string;
export function keyStream(caseId: string): string;
export function keyStreamOps(
  client: Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'tombstoneStream'>,
): KeyStreamOps;
