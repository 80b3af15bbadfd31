import { z } from 'zod';
import { Instant, StateCode } from './common.ts';

/**
 * Messages between the two authorities about one readmission request: the destination
 * State's caseworkers and the origin State's liaison. They live in the case's thread stream
 * (`thread-<caseId>`), not in the case stream, so a message never moves the case's revision
 * (a caseworker's `If-Match` stays valid while the liaison writes).
 */

/** Which authority wrote or read: the case's destination State or the request's origin State. */
export const ThreadSide = z.enum(['destination', 'origin']);
export type ThreadSide = z.infer<typeof ThreadSide>;

/** The longest message, in characters. */
export const MESSAGE_MAX_LENGTH = 4000;

export const threadEventSchemas = {
  /** `text` is personal data: sealed with the case's data key, shredded with it. */
  MessagePosted: z.strictObject({
    messageId: z.string(),
    requestId: z.string(),
    side: ThreadSide,
    text: z.string().max(MESSAGE_MAX_LENGTH),
    sentAt: Instant,
  }),
  /**
   * A side read the request's thread: every message before this event in the stream (it is
   * appended at the revision the reader saw, so nothing lands in between).
   */
  MessagesRead: z.strictObject({
    requestId: z.string(),
    side: ThreadSide,
    /** The last message read (the thread's newest when it was read). */
    upToMessageId: z.string(),
  }),
} as const;

type DataOf<S> = { [K in keyof S]: { type: K; data: S[K] extends z.ZodType ? z.infer<S[K]> : never } }[keyof S];
export type ThreadEvent = DataOf<typeof threadEventSchemas>;
export type ThreadEventType = ThreadEvent['type'];
export const THREAD_EVENT_TYPES = Object.keys(threadEventSchemas) as ThreadEventType[];

// ---------------------------------------------------------------------------------------
// HTTP

export const MessageThreadParams = z.strictObject({
  caseId: z.string().min(1).max(100),
  requestId: z.string().min(1).max(100),
});

/** 1 to 4000 characters; a text of white space only is a 409 `reasons-required`, as for other texts. */
export const PostMessageBody = z.strictObject({
  text: z.string().min(1).max(MESSAGE_MAX_LENGTH),
});
export type PostMessageBody = z.infer<typeof PostMessageBody>;

export const MessageItem = z.object({
  messageId: z.string(),
  from: z.object({ role: z.enum(['caseworker', 'liaison']), state: StateCode }),
  sentAt: z.string(),
  text: z.string().nullable().describe('null once the case’s personal data were erased'),
});
export type MessageItem = z.infer<typeof MessageItem>;

export const MessageThread = z.object({
  caseId: z.string(),
  requestId: z.string(),
  items: z.array(MessageItem).describe('Oldest first'),
  position: z.number().int().describe('The global position of the thread’s last event (a consistency token)'),
});

export const PostedMessage = MessageItem.extend({
  caseId: z.string(),
  requestId: z.string(),
  position: z.number().int().describe('Usable as `minPosition` on the worklist and the inbox'),
});
