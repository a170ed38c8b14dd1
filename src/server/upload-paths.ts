/**
 * Where a test run's JUnit files are uploaded (multipart/form-data), streamed into `evidence.tests`; shared by the
 * server's route and the CLI's `--server` mode (kept apart from the route so the CLI loads no server code).
 */
export const TEST_RUN_UPLOAD_PATH = '/api/v1/products/:productKey/evidence/test-runs/upload';

/**
 * Where a file is attached to a record (multipart/form-data, one file part), streamed into `attachment.add`; shared
 * by the server's route and the CLI's `--server` mode.
 */
export const ATTACHMENT_UPLOAD_PATH = '/api/v1/products/:productKey/records/:record/attachments/upload';
