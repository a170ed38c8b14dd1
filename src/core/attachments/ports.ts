import type { AttachmentRow } from './model.js';

/** Stored content as it is read back for a check: its key and its bytes. */
export interface AttachmentContent {
  readonly sha256: string;
  readonly size: number;
  readonly bytes: Uint8Array;
}

/** Reads attachments and their contents. */
export interface AttachmentsReader {
  /** A record's attachments, oldest first. */
  listAttachments(recordId: number): Promise<AttachmentRow[]>;
  /** The next page of every attachment, by ID (verification, export). */
  pageAttachments(afterId: number, limit: number): Promise<AttachmentRow[]>;
  /** The bytes stored under a SHA-256, or undefined. */
  findAttachmentContent(sha256: string): Promise<AttachmentContent | undefined>;
  /** Whether content is stored under this SHA-256 (without reading it). */
  hasAttachmentContent(sha256: string): Promise<boolean>;
  /** The next page of stored contents, by SHA-256 (verification re-hashes each; export copies them). */
  pageAttachmentContents(afterSha256: string, limit: number): Promise<AttachmentContent[]>;
}

/** Writes attachments; both tables are append-only. */
export interface AttachmentsWriter {
  nextAttachmentId(): Promise<number>;
  /** Stores content under its SHA-256 (the caller checked it is not there yet). */
  insertAttachmentContent(content: AttachmentContent): Promise<void>;
  insertAttachments(rows: readonly AttachmentRow[]): Promise<void>;
}
